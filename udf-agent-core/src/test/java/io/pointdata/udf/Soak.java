package io.pointdata.udf;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Mixed load with random faults against one socket server, for as long as asked (not run by the
 * build). Each round a client picks a scenario: a clean stream whose every point must come back
 * counted in order, an Info-only connection, a handler exception, a disconnect mid-frame, or a hung
 * handler past its deadline. Prints totals; exits 1 if any point was lost or misrouted.
 *
 * <pre>
 * ./mvnw -q -pl udf-agent-core -am test-compile
 * java -cp "$(cat udf-agent-core/target/test-classpath.txt)" io.pointdata.udf.Soak 3600 8
 * </pre>
 */
public final class Soak {
  private final AtomicLong pointsSent = new AtomicLong();
  private final AtomicLong pointsVerified = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong[] scenarios = {
    new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()
  };
  private static final String[] NAMES = {
    "clean stream", "info only", "handler exception", "disconnect mid-frame", "hung handler"
  };

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3600;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    System.exit(new Soak().run(Duration.ofSeconds(seconds), clients) ? 0 : 1);
  }

  boolean run(Duration duration, int clients) throws Exception {
    Path dir = Files.createTempDirectory("udf-soak");
    Path socket = dir.resolve("soak.sock");
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long start = System.nanoTime();
    try (UdfServer server =
        UdfServer.builder(socket)
            .udf(Faulty::new)
            .handlerDeadline(Duration.ofMillis(500))
            .build()) {
      server.start();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long end = System.nanoTime() + duration.toNanos();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        long seed = c;
        running.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  while (System.nanoTime() < end) {
                    int scenario = pick(random);
                    try {
                      play(socket, scenario, random);
                      scenarios[scenario].incrementAndGet();
                    } catch (IOException e) {
                      System.err.println("scenario " + NAMES[scenario] + " failed: " + e);
                      lost.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) f.get();
      pool.shutdown();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    Thread.sleep(500);
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    System.out.printf("soak: %.0f s, %d clients%n", secs, clients);
    for (int i = 0; i < NAMES.length; i++)
      System.out.printf("  %-22s %,d sessions%n", NAMES[i], scenarios[i].get());
    System.out.printf(
        "  points sent %,d, verified back %,d (%.0f/s), lost or misrouted %d%n",
        pointsSent.get(), pointsVerified.get(), pointsVerified.get() / secs, lost.get());
    System.out.printf("  threads before %d, after %d%n", threadsBefore, threadsAfter);
    return lost.get() == 0 && pointsSent.get() == pointsVerified.get();
  }

  private static int pick(Random random) {
    int r = random.nextInt(100);
    if (r < 70) return 0;
    if (r < 85) return 1;
    if (r < 93) return 2;
    if (r < 98) return 3;
    return 4;
  }

  private void play(Path socket, int scenario, Random random) throws IOException {
    try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
      FrameWriter out = new FrameWriter(s.getOutputStream());
      FrameReader<Response> in = new FrameReader<>(s.getInputStream(), Response.parser(), 1 << 20);
      if (scenario == 1) {
        out.write(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build());
        out.flush();
        s.getChannel().shutdownOutput(); // Socket.shutdownOutput() fails on JDK 25 (see AgentWire)
        expect(in.read() != null && in.read() == null, "info then EOF");
        return;
      }
      out.write(Request.newBuilder().setInit(UdfProto.InitRequest.getDefaultInstance()).build());
      out.flush();
      expect(in.read().hasInit(), "init answered");
      if (scenario == 3) {
        s.getOutputStream().write(new byte[] {0x0c, 0x1a}); // then close mid-frame
        return;
      }
      String kind = scenario == 2 ? "boom" : scenario == 4 ? "hang" : null;
      int n = scenario == 0 ? 1 + random.nextInt(5000) : 1;
      for (int i = 0; i < n; i++) {
        UdfProto.Point.Builder p =
            UdfProto.Point.newBuilder().setTime(i).setName("soak").setGroup("g" + (i % 7));
        if (kind != null) p.putTags("kind", kind);
        out.write(Request.newBuilder().setPoint(p).build());
      }
      out.flush();
      s.getChannel().shutdownOutput();
      if (scenario == 0) {
        pointsSent.addAndGet(n);
        long[] perGroup = new long[7];
        for (int i = 0; i < n; i++) {
          Response r = in.read();
          if (r == null || !r.hasPoint()) {
            System.err.println("stream of " + n + " points: at " + i + " got " + r);
            lost.incrementAndGet();
            return;
          }
          UdfProto.Point p = r.getPoint();
          if (p.getTime() != i || p.getFieldsIntOrDefault("n", -1) != ++perGroup[i % 7]) {
            System.err.println("stream of " + n + " points: at " + i + " got " + p);
            lost.incrementAndGet();
            return;
          }
          pointsVerified.incrementAndGet();
        }
        expect(in.read() == null, "EOF after the stream");
      } else {
        Response last = in.read();
        expect(last != null && last.hasError(), "an ErrorResponse for " + kind);
        expect(in.read() == null, "EOF after the error");
      }
    }
  }

  private void expect(boolean ok, String what) {
    if (!ok) {
      System.err.println("expected " + what);
      lost.incrementAndGet();
    }
  }

  /** Counts per group; fails on kind=boom; hangs on kind=hang. */
  static final class Faulty implements Udf {
    private final java.util.Map<String, Long> counts = new java.util.HashMap<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) throws InterruptedException {
      if ("boom".equals(point.tag("kind"))) throw new UdfException("boom");
      if ("hang".equals(point.tag("kind"))) Thread.sleep(60_000);
      out.emit(point.toBuilder().field("n", counts.merge(point.group(), 1L, Long::sum)).build());
    }
  }
}
