package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Load on a socket UDF: many concurrent stateful sessions, and many short Info connections. */
class LoadTest {
  static final int SESSIONS = 200;
  static final int POINTS_PER_SESSION = 10_000;
  static final int GROUPS = 10;
  static final int INFO_CYCLES = 10_000;

  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** Counts points per group within its own session: any crossing or loss shows in the counts. */
  static final class GroupCounter implements Udf {
    private final Map<String, Long> counts = new HashMap<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      long n = counts.merge(point.group(), 1L, Long::sum);
      out.emit(point.toBuilder().field("n", n).build());
    }
  }

  @Test
  void concurrentSessionsAccountForEveryPointWithoutCrossingOrDuplicates() throws Exception {
    server = UdfServer.builder(dir.resolve("load.sock")).udf(GroupCounter::new).build().start();
    List<AgentWire> wires = new ArrayList<>();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      for (int s = 0; s < SESSIONS; s++) wires.add(AgentWire.connect(server.path()));
      for (AgentWire w : wires) w.init().take(MessageCase.INIT);
      List<Future<?>> sent = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        int session = s;
        AgentWire wire = wires.get(s);
        sent.add(
            writers.submit(
                () -> {
                  for (int i = 0; i < POINTS_PER_SESSION; i++) {
                    wire.sendBuffered(Request.newBuilder().setPoint(point(session, i)).build());
                  }
                  wire.flush().closeInput();
                }));
      }
      for (Future<?> f : sent) f.get();
      long total = 0;
      for (int s = 0; s < SESSIONS; s++) {
        List<Response> got = wires.get(s).takeUntilEof();
        assertEquals(POINTS_PER_SESSION, got.size(), "session " + s);
        long[] expectedNext = new long[GROUPS];
        for (int i = 0; i < got.size(); i++) {
          UdfProto.Point p = got.get(i).getPoint();
          assertEquals(String.valueOf(s), p.getTagsOrThrow("session"), "no point crosses sessions");
          assertEquals(i, p.getTime(), "in order, no duplicates");
          int group = i % GROUPS;
          assertEquals(
              ++expectedNext[group], p.getFieldsIntOrThrow("n"), "per-group count in session " + s);
        }
        total += got.size();
      }
      assertEquals((long) SESSIONS * POINTS_PER_SESSION, total);
    } finally {
      writers.shutdownNow();
      wires.forEach(AgentWire::close);
    }
  }

  private static UdfProto.Point point(int session, int i) {
    String group = "g=" + (i % GROUPS);
    return UdfProto.Point.newBuilder()
        .setTime(i)
        .setName("m")
        .setGroup(group)
        .putTags("session", String.valueOf(session))
        .putFieldsDouble("v", i)
        .build();
  }

  @Test
  void shortInfoConnectionsLeaveNoFileDescriptorsOrThreadsBehind() throws Exception {
    server = UdfServer.builder(dir.resolve("info.sock")).udf(GroupCounter::new).build().start();
    infoCycle(); // warm up: the first connection loads classes and starts nothing lasting
    long fdsBefore = openFileDescriptors();
    int threadsBefore = settledThreadCount(-1);
    byte[] expected = null;
    for (int i = 0; i < INFO_CYCLES; i++) {
      byte[] reply = infoCycle();
      if (expected == null) expected = reply;
      assertArrayEquals(expected, reply, "cycle " + i);
    }
    // At most the starting count: the JVM may close a descriptor of its own meanwhile, never leak
    // one.
    int threadsAfter = settledThreadCount(threadsBefore);
    assertTrue(
        threadsAfter <= threadsBefore,
        "threads back to " + threadsBefore + ", got " + threadsAfter);
    long fdsAfter = settledFileDescriptors(fdsBefore);
    assertTrue(
        fdsAfter <= fdsBefore, "file descriptors back to " + fdsBefore + ", got " + fdsAfter);
  }

  /** Connects, asks Info, half-closes and reads to EOF, as Kapacitor does at its start-up. */
  private byte[] infoCycle() throws IOException {
    try (AFUNIXSocket socket =
        AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(server.path().toFile()))) {
      socket.getOutputStream().write(new byte[] {0x02, 0x0a, 0x00});
      socket
          .getChannel()
          .shutdownOutput(); // Socket.shutdownOutput() fails on JDK 25 (see AgentWire)
      try (InputStream in = socket.getInputStream()) {
        return in.readAllBytes();
      }
    }
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Waits (up to 10 s) for the count to reach the target or below; returns the last count seen. */
  private static long settledFileDescriptors(long target) throws Exception {
    long count = openFileDescriptors();
    for (int i = 0; i < 500 && count > target; i++) {
      Thread.sleep(20);
      count = openFileDescriptors();
    }
    return count;
  }

  private static int settledThreadCount(int target) throws InterruptedException {
    int count = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 500 && (target < 0 || count > target); i++) {
      Thread.sleep(20);
      int now = ManagementFactory.getThreadMXBean().getThreadCount();
      if (target < 0 && now == count) return now; // settling without a target: stable twice
      count = now;
    }
    return count;
  }
}
