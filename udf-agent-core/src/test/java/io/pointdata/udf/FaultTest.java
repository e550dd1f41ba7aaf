package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Faults of the peer and of the handler: each ends one session, reported, and touches no other. */
class FaultTest {
  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** Forwards points; hangs on tag kind=hang, interruptibly or not. */
  static final class Hanger implements Udf {
    static final AtomicLong processed = new AtomicLong();

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) throws InterruptedException {
      if ("hang".equals(point.tag("kind"))) Thread.sleep(60_000);
      if ("spin".equals(point.tag("kind"))) {
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) Thread.onSpinWait(); // ignores interrupts
      }
      processed.incrementAndGet();
      out.emit(point);
    }
  }

  private UdfServer start(UdfServer.Builder builder) throws Exception {
    server = builder.build().start();
    return server;
  }

  private UdfServer.Builder builder() {
    return UdfServer.builder(dir.resolve("f.sock")).udf(Hanger::new);
  }

  private static UdfProto.Point point(long time, String kind) {
    UdfProto.Point.Builder p = UdfProto.Point.newBuilder().setTime(time).setName("m");
    if (kind != null) p.putTags("kind", kind);
    return p.build();
  }

  @Test
  void hungHandlerKeepsAnsweringKeepalivesUntilItsDeadlineThenTheRequestIsNamed() throws Exception {
    start(builder().handlerDeadline(Duration.ofMillis(800)));
    try (AgentWire hung = AgentWire.connect(server.path());
        AgentWire other = AgentWire.connect(server.path())) {
      hung.init().take(MessageCase.INIT);
      other.init().take(MessageCase.INIT);
      hung.point(point(1, "hang"));
      assertEquals(
          7,
          hung.keepalive(7).take(MessageCase.KEEPALIVE).getKeepalive().getTime(),
          "keepalives are answered while the handler hangs");
      assertEquals(
          "request of type point did not finish within the handler deadline of 800ms",
          hung.take(MessageCase.ERROR).getError().getError());
      assertEquals(List.of(), hung.takeUntilEof());
      assertEquals(
          2,
          other.point(point(2, null)).take(MessageCase.POINT).getPoint().getTime(),
          "others go on");
    }
  }

  @Test
  void handlerThatIgnoresTheInterruptIsAbandonedAndTheServerGoesOn() throws Exception {
    start(builder().handlerDeadline(Duration.ofMillis(300)));
    try (AgentWire spinning = AgentWire.connect(server.path())) {
      spinning.init().take(MessageCase.INIT);
      spinning.point(point(1, "spin"));
      String error = spinning.take(MessageCase.ERROR).getError().getError();
      assertTrue(error.contains("handler deadline"), error);
      assertEquals(List.of(), spinning.takeUntilEof());
    }
    try (AgentWire next = AgentWire.connect(server.path())) {
      assertEquals(MessageCase.INFO, next.info().take().getMessageCase());
    }
  }

  @Test
  void peerDisconnectingMidFrameEndsOnlyItsSession() throws Exception {
    start(builder());
    try (AgentWire healthy = AgentWire.connect(server.path())) {
      healthy.init().take(MessageCase.INIT);
      try (AFUNIXSocket peer =
          AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(server.path().toFile()))) {
        peer.getOutputStream()
            .write(new byte[] {0x0c, 0x1a, 0x0a}); // 3 of a 13-byte keepalive frame
      }
      awaitSessions(1);
      assertEquals(3, healthy.point(point(3, null)).take(MessageCase.POINT).getPoint().getTime());
    }
    awaitSessions(0);
  }

  @Test
  void peerDisconnectingMidBatchDropsOnlyThatBatch() throws Exception {
    server =
        UdfServer.builder(dir.resolve("b.sock"))
            .udf(CapturedSessionReplayTest.BatchMirror::new)
            .build()
            .start();
    try (AgentWire wire = AgentWire.connect(server.path())) {
      wire.init().take(MessageCase.INIT);
      wire.send(
          Request.newBuilder()
              .setBegin(UdfProto.BeginBatch.newBuilder().setName("b").setSize(3))
              .build());
      wire.point(point(1, null)).point(point(2, null));
      assertTrue(
          wire.closeInput().takeUntilEof().isEmpty(), "an incomplete batch is never emitted half");
    }
    awaitSessions(0);
  }

  @Test
  void killedPeerProcessEndsOnlyItsSession() throws Exception {
    Hanger.processed.set(0);
    start(builder());
    Process peer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StreamingPeer.class.getName(),
                server.path().toString())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (Hanger.processed.get() < 1000 && System.nanoTime() < deadline) Thread.sleep(10);
      assertTrue(Hanger.processed.get() >= 1000, "the peer is streaming");
      peer.destroyForcibly().waitFor();
      awaitSessions(0);
      try (AgentWire next = AgentWire.connect(server.path())) {
        assertEquals(MessageCase.INFO, next.info().take().getMessageCase());
      }
    } finally {
      peer.destroyForcibly();
    }
  }

  /** A peer process that streams points forever, without reading, until it is killed. */
  public static final class StreamingPeer {
    public static void main(String[] args) throws Exception {
      try (AFUNIXSocket socket =
          AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(Path.of(args[0]).toFile()))) {
        OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
        io.pointdata.udf.internal.FrameWriter writer =
            new io.pointdata.udf.internal.FrameWriter(out);
        writer.write(
            Request.newBuilder().setInit(UdfProto.InitRequest.getDefaultInstance()).build());
        Thread drain =
            new Thread(
                () -> {
                  try {
                    socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                  } catch (java.io.IOException ignored) {
                    // killed
                  }
                });
        drain.setDaemon(true);
        drain.start();
        for (long i = 0; ; i++) {
          writer.write(Request.newBuilder().setPoint(point(i, null)).build());
          if (i % 100 == 0) writer.flush();
        }
      }
    }
  }

  @Test
  void peerThatStopsReadingIsPushedBackNotBufferedWithoutLimit() throws Exception {
    // With a deadline far shorter than the stall: time blocked on a slow peer is not the handler's.
    start(builder().handlerDeadline(Duration.ofMillis(300)));
    AtomicLong sent = new AtomicLong();
    // A raw peer: AgentWire's reader thread would keep reading.
    try (AFUNIXSocket peer =
        AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(server.path().toFile()))) {
      io.pointdata.udf.internal.FrameWriter writer =
          new io.pointdata.udf.internal.FrameWriter(peer.getOutputStream());
      Thread producer =
          new Thread(
              () -> {
                try {
                  writer.write(
                      Request.newBuilder()
                          .setInit(UdfProto.InitRequest.getDefaultInstance())
                          .build());
                  for (long i = 0; i < 5_000_000; i++) {
                    writer.write(Request.newBuilder().setPoint(point(i, null)).build());
                    writer.flush();
                    sent.incrementAndGet();
                  }
                } catch (java.io.IOException closed) {
                  // the test closes the socket at the end
                }
              },
              "producer");
      producer.setDaemon(true);
      producer.start();
      long last = -1;
      // Wait until the producer makes no progress for a while: its write is blocked.
      for (int stable = 0; stable < 10; ) {
        Thread.sleep(100);
        long now = sent.get();
        stable = now == last ? stable + 1 : 0;
        last = now;
      }
      assertTrue(producer.isAlive(), "the producer is blocked in a write, not finished");
      assertTrue(last < 5_000_000, "back-pressure stopped the peer after " + last + " points");
      long processedBefore = Hanger.processed.get();
      Thread.sleep(300);
      assertEquals(
          processedBefore, Hanger.processed.get(), "the handler is blocked too: nothing piles up");
      // Now read: everything sent comes back, nothing was lost.
      java.io.InputStream in = peer.getInputStream();
      io.pointdata.udf.internal.FrameReader<Response> frames =
          new io.pointdata.udf.internal.FrameReader<>(in, Response.parser(), 1 << 20);
      assertEquals(MessageCase.INIT, frames.read().getMessageCase());
      long expected = 0;
      long target = last;
      while (expected < target) {
        Response r = frames.read();
        assertEquals(expected++, r.getPoint().getTime());
      }
    }
  }

  @Test
  void shutdownUnderLoadDeliversOrReportsEveryAcceptedPoint() throws Exception {
    server =
        UdfServer.builder(dir.resolve("s.sock"))
            .udf(Hanger::new)
            .shutdownTimeout(Duration.ofMillis(300))
            .build()
            .start();
    List<AgentWire> wires =
        List.of(AgentWire.connect(server.path()), AgentWire.connect(server.path()));
    try {
      for (AgentWire w : wires) w.init().take(MessageCase.INIT);
      for (int i = 0; i < 2000; i++)
        for (AgentWire w : wires)
          w.sendBuffered(Request.newBuilder().setPoint(point(i, null)).build());
      for (AgentWire w : wires) w.flush();
      server.close();
      assertFalse(Files.exists(server.path()), "the socket file is removed");
      for (AgentWire w : wires) {
        List<Response> got = w.takeUntilEof();
        Response last = got.get(got.size() - 1);
        assertEquals(
            "the UDF server is shutting down",
            last.getError().getError(),
            "the session is told why");
        for (int i = 0; i < got.size() - 1; i++)
          assertEquals(i, got.get(i).getPoint().getTime(), "delivered in order");
      }
    } finally {
      wires.forEach(AgentWire::close);
    }
  }

  private void awaitSessions(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.activeSessions() != count && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(count, server.activeSessions());
  }
}
