package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Socket mode: a real socket file, concurrent sessions, a lifecycle an operator can trust. */
class UdfServerTest {
  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** Numbers the points of its own session: state that must never cross sessions. */
  static final class Counter implements Udf {
    private long seen;

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      if ("boom".equals(point.tag("kind"))) throw new UdfException("boom requested");
      out.emit(point.toBuilder().field("n", ++seen).build());
    }
  }

  private Path socket() {
    return dir.resolve("udf.sock");
  }

  /** A server of {@link Counter}s that waits this long for open sessions at close. */
  private void startCounters(Duration shutdownTimeout) throws Exception {
    server =
        UdfServer.builder(socket())
            .udf(Counter::new)
            .shutdownTimeout(shutdownTimeout)
            .build()
            .start();
  }

  private UdfServer start(java.util.function.Supplier<? extends Udf> udf) throws Exception {
    server =
        UdfServer.builder(socket()).udf(udf).shutdownTimeout(Duration.ofSeconds(2)).build().start();
    return server;
  }

  private static UdfProto.Point point(String session, long i) {
    return UdfProto.Point.newBuilder().setTime(i).setName("m").putTags("session", session).build();
  }

  @Test
  void aConnectionBeyondMaxSessionsIsToldWhyAtOnceAndTheOthersGoOn() throws Exception {
    server = UdfServer.builder(socket()).udf(Counter::new).maxSessions(2).build().start();
    try (AgentWire first = AgentWire.connect(socket());
        AgentWire second = AgentWire.connect(socket())) {
      first.init().take(MessageCase.INIT);
      second.init().take(MessageCase.INIT);
      try (AgentWire third = AgentWire.connect(socket())) {
        List<Response> told = third.takeUntilEof();
        assertEquals(1, told.size(), told.toString());
        assertEquals(
            "refused: the UDF server already serves 2 sessions, its maximum (-Dudf.maxSessions=N"
                + " among the UDF's JVM flags raises it)",
            told.get(0).getError().getError());
      }
      assertEquals(
          1,
          first.point(point("a", 0)).take(MessageCase.POINT).getPoint().getFieldsIntOrThrow("n"));
      first.closeInput().takeUntilEof();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.activeSessions() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    try (AgentWire again = AgentWire.connect(socket())) {
      assertTrue(
          again.init().take(MessageCase.INIT).getInit().getSuccess(),
          "room again once sessions end");
    }
  }

  @Test
  void concurrentSessionsEachHaveTheirOwnUdfInstance() throws Exception {
    start(Counter::new);
    int sessions = 8;
    int points = 500;
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    try {
      List<Future<List<Response>>> results = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        String name = "s" + s;
        results.add(
            pool.submit(
                () -> {
                  try (AgentWire wire = AgentWire.connect(socket())) {
                    wire.init().take(MessageCase.INIT);
                    for (int i = 0; i < points; i++) wire.point(point(name, i));
                    return wire.closeInput().takeUntilEof();
                  }
                }));
      }
      for (int s = 0; s < sessions; s++) {
        List<Response> got = results.get(s).get();
        assertEquals(points, got.size(), "session " + s + " got every point back");
        for (int i = 0; i < points; i++) {
          UdfProto.Point p = got.get(i).getPoint();
          assertEquals("s" + s, p.getTagsOrThrow("session"), "no point crosses sessions");
          assertEquals(i + 1, p.getFieldsIntOrThrow("n"), "count is per session");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersKapacitorsInfoOnlyStartupConnection() throws Exception {
    start(Counter::new);
    try (AgentWire wire = AgentWire.connect(socket())) {
      assertEquals(
          UdfProto.InfoResponse.getDefaultInstance(), wire.info().take(MessageCase.INFO).getInfo());
      assertTrue(
          wire.closeInput().takeUntilEof().isEmpty(),
          "the server closes its side after our half-close");
    }
  }

  @Test
  void aFailingSessionLeavesTheOthersRunning() throws Exception {
    start(Counter::new);
    try (AgentWire healthy = AgentWire.connect(socket());
        AgentWire failing = AgentWire.connect(socket())) {
      healthy.init().take(MessageCase.INIT);
      failing.init().take(MessageCase.INIT);
      failing.point(point("f", 1).toBuilder().putTags("kind", "boom").build());
      assertEquals(
          "error processing request of type point: boom requested",
          failing.take(MessageCase.ERROR).getError().getError());
      assertEquals(List.of(), failing.takeUntilEof());
      assertEquals(
          1,
          healthy.point(point("h", 1)).take(MessageCase.POINT).getPoint().getFieldsIntOrThrow("n"));
      try (AgentWire later = AgentWire.connect(socket())) {
        assertEquals(
            MessageCase.INFO, later.info().take().getMessageCase(), "the server still accepts");
      }
    }
  }

  @Test
  void socketFileIsOwnerAndGroupReadWriteByDefault() throws Exception {
    start(Counter::new);
    assertEquals(
        "rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
  }

  @Test
  void permissionsAreConfigurable() throws Exception {
    server =
        UdfServer.builder(socket())
            .udf(Counter::new)
            .permissions(PosixFilePermissions.fromString("rw-------"))
            .build()
            .start();
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
  }

  @Test
  void staleSocketFileFromADeadServerIsReplaced() throws Exception {
    AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
    dead.setDeleteOnClose(false);
    dead.bind(AFUNIXSocketAddress.of(socket().toFile()));
    dead.close();
    assertTrue(Files.exists(socket()), "a stale socket file is left behind");
    start(Counter::new);
    try (AgentWire wire = AgentWire.connect(socket())) {
      assertEquals(MessageCase.INFO, wire.info().take().getMessageCase());
    }
  }

  @Test
  void pathThatIsNotASocketIsNeverRemoved() throws Exception {
    Files.writeString(socket(), "precious");
    UdfServer notStarted = UdfServer.builder(socket()).udf(Counter::new).build();
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, notStarted::start);
    assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
    assertEquals("precious", Files.readString(socket()));
  }

  @Test
  void socketAnotherServerListensOnIsRefused() throws Exception {
    start(Counter::new);
    UdfServer second = UdfServer.builder(socket()).udf(Counter::new).build();
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, second::start);
    assertTrue(e.getMessage().contains("another server is listening"), e.getMessage());
    try (AgentWire wire = AgentWire.connect(socket())) {
      assertEquals(
          MessageCase.INFO, wire.info().take().getMessageCase(), "the first server still serves");
    }
  }

  @Test
  void startingTwiceIsRefused() throws Exception {
    start(Counter::new);
    assertThrows(IllegalStateException.class, server::start);
  }

  @Test
  void closeRemovesTheSocketFileAndLetsOpenSessionsFinish() throws Exception {
    start(Counter::new);
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      Thread closer = new Thread(server::close);
      closer.start();
      while (Files.exists(socket())) Thread.sleep(5);
      assertEquals(
          1,
          wire.point(point("a", 1)).take(MessageCase.POINT).getPoint().getFieldsIntOrThrow("n"),
          "the open session is still served during shutdown");
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      closer.join(5000);
      assertFalse(closer.isAlive(), "close() did not return within 5 s");
      assertTrue(
          server.awaitTermination(Duration.ofSeconds(5)),
          () -> "not terminated within 5 s; active sessions: " + server.activeSessions());
      assertEquals(0, server.activeSessions());
    }
  }

  @Test
  void sessionsStillOpenAfterTheShutdownTimeoutAreClosed() throws Exception {
    startCounters(Duration.ofMillis(200));
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      server.close();
      assertEquals(
          "the UDF server is shutting down",
          wire.take(MessageCase.ERROR).getError().getError(),
          "the lingering session is told why");
      assertTrue(wire.takeUntilEof().isEmpty(), "then closed");
      assertTrue(
          server.awaitTermination(Duration.ofSeconds(5)),
          () -> "not terminated within 5 s; active sessions: " + server.activeSessions());
    }
  }

  @Test
  void aFactoryThatFailsIsReportedToKapacitor() throws Exception {
    start(
        () -> {
          throw new IllegalStateException("model file missing");
        });
    try (AgentWire wire = AgentWire.connect(socket())) {
      String error = wire.info().take(MessageCase.ERROR).getError().getError();
      assertTrue(
          error.contains(
              "cannot create the UDF: java.lang.IllegalStateException: model file missing"),
          error);
    }
  }

  @Test
  void aServerThatWasShutDownCannotStartAgain() throws Exception {
    start(Counter::new);
    server.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
    assertTrue(e.getMessage().contains("was shut down"), e.getMessage());
    assertFalse(Files.exists(socket()), "the socket file stays removed");
  }

  @Test
  void aServerNeverStartedTerminatesAtShutdown() throws Exception {
    server = UdfServer.builder(socket()).udf(Counter::new).build();
    server.shutdown();
    assertTrue(server.isTerminated(), "a server never started is not terminated by shutdown()");
    assertTrue(server.awaitTermination(Duration.ZERO), "awaitTermination(0) says not terminated");
  }

  @Test
  void shutdownReturnsAtOnceAndAwaitTerminationWakesAtTheLastSessionsEnd() throws Exception {
    startCounters(Duration.ofSeconds(60));
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      server.shutdown();
      server.shutdown(); // idempotent
      assertTrue(server.isShutdown(), "not shut down after shutdown()");
      assertFalse(server.isTerminated(), "a session is still open");
      assertFalse(Files.exists(socket()), "no longer accepting");
      long[] wokeAt = new long[1];
      boolean[] terminated = new boolean[1];
      Thread waiter =
          new Thread(
              () -> {
                try {
                  terminated[0] = server.awaitTermination(Duration.ofSeconds(30));
                  wokeAt[0] = System.nanoTime();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      waiter.start();
      assertEquals(
          1,
          wire.point(point("a", 1)).take(MessageCase.POINT).getPoint().getFieldsIntOrThrow("n"),
          "the open session is still served after shutdown");
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      long sessionEnded = System.nanoTime();
      waiter.join(30_000);
      assertTrue(terminated[0], "awaitTermination returned because the server terminated");
      // Woken by the session's end, not by a poll or the 60 s timeout. Typically well under 100 ms;
      // the bound leaves room for a loaded machine.
      long wokeAfterMillis = (wokeAt[0] - sessionEnded) / 1_000_000;
      assertTrue(
          wokeAfterMillis < 5_000, "woke " + wokeAfterMillis + " ms after the session ended");
    }
  }

  @Test
  void aConcurrentCloseAlsoReturnsOnlyOnceTheServerHasTerminated() throws Exception {
    startCounters(Duration.ofSeconds(60));
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      ExecutorService closers = Executors.newFixedThreadPool(2);
      try {
        List<Future<Boolean>> closes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          closes.add(
              closers.submit(
                  () -> {
                    server.close();
                    return server.isTerminated();
                  }));
        }
        while (!server.isShutdown()) Thread.sleep(1);
        Thread.sleep(100); // time for a close that did not wait to return
        assertFalse(
            closes.get(0).isDone() || closes.get(1).isDone(), "both wait for the open session");
        assertEquals(List.of(), wire.closeInput().takeUntilEof());
        for (Future<Boolean> close : closes)
          assertTrue(close.get(), "returned only after termination");
      } finally {
        closers.shutdownNow();
      }
    }
  }

  @Test
  void aBuilderRefusesASecondUdfOrHandlerAtTheSetter() {
    UdfServer.Builder builder = UdfServer.builder(socket()).udf(Counter::new);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.udf(Counter::new));
    assertEquals(
        "a UDF or handler is already set: a server runs one kind, set it once", e.getMessage());
    assertThrows(IllegalStateException.class, () -> builder.handler(() -> null));
  }

  /** A setting made once, then again with another value, and the message the second call gets. */
  private record SecondCall(
      java.util.function.Consumer<UdfServer.Builder> first,
      java.util.function.Consumer<UdfServer.Builder> second,
      String message) {}

  @Test
  void everySettingMadeTwiceFailsAtTheSecondCallNamingTheFirstValue() {
    List<SecondCall> calls =
        List.of(
            new SecondCall(
                b -> b.permissions(PosixFilePermissions.fromString("rw-------")),
                b -> b.permissions(PosixFilePermissions.fromString("rw-rw----")),
                "permissions was already set to rw-------"),
            new SecondCall(
                b -> b.maxFrameSize(1024),
                b -> b.maxFrameSize(2048),
                "maxFrameSize was already set to 1024"),
            new SecondCall(
                b -> b.maxSessions(8), b -> b.maxSessions(9), "maxSessions was already set to 8"),
            new SecondCall(b -> b.backlog(50), b -> b.backlog(60), "backlog was already set to 50"),
            new SecondCall(
                b -> b.inFlightBytes(4096),
                b -> b.inFlightBytes(8192),
                "inFlightBytes was already set to 4096"),
            new SecondCall(
                b -> b.maxBatchPoints(100),
                b -> b.maxBatchPoints(200),
                "maxBatchPoints was already set to 100"),
            new SecondCall(
                b -> b.maxBatchBytes(1000),
                b -> b.maxBatchBytes(2000),
                "maxBatchBytes was already set to 1000"),
            new SecondCall(
                b -> b.shutdownTimeout(Duration.ofSeconds(3)),
                b -> b.shutdownTimeout(Duration.ofSeconds(4)),
                "shutdownTimeout was already set to PT3S"),
            new SecondCall(
                b -> b.handlerDeadline(Duration.ofSeconds(30)),
                b -> b.handlerDeadline(Duration.ofSeconds(60)),
                "handlerDeadline was already set to PT30S"),
            new SecondCall(
                b -> b.readWindow(Duration.ZERO),
                b -> b.readWindow(Duration.ofMillis(2)),
                "readWindow was already set to PT0S"),
            new SecondCall(
                b -> b.allowedUids(1000, 0),
                b -> b.allowedUids(1001),
                "allowedUids was already set to [0, 1000]"),
            new SecondCall(
                b -> b.allowedGids(50),
                b -> b.allowedGids(51),
                "allowedGids was already set to [50]"),
            new SecondCall(
                b -> b.name("temperature"),
                b -> b.name("humidity"),
                "name was already set to temperature"),
            new SecondCall(
                b -> b.metricsPort(0),
                b -> b.metricsPort(9273),
                "metricsPort was already set to 0"),
            new SecondCall(
                b -> b.metricsHost("0.0.0.0"),
                b -> b.metricsHost("127.0.0.1"),
                "metricsHost was already set to 0.0.0.0"),
            new SecondCall(b -> b.jmx(false), b -> b.jmx(true), "jmx was already set to false"));
    for (SecondCall call : calls) {
      UdfServer.Builder builder = UdfServer.builder(socket()).udf(Counter::new);
      call.first().accept(builder);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> call.second().accept(builder));
      assertEquals(call.message(), e.getMessage());
    }
  }

  @Test
  void aSettingWhoseArgumentWasRefusedCanStillBeMade() {
    UdfServer.Builder builder = UdfServer.builder(socket()).udf(Counter::new);
    assertThrows(IllegalArgumentException.class, () -> builder.maxSessions(0));
    assertThrows(IllegalArgumentException.class, () -> builder.name(" "));
    builder.maxSessions(1).name("counter");
    assertEquals(
        "maxSessions was already set to 1",
        assertThrows(IllegalStateException.class, () -> builder.maxSessions(2)).getMessage());
  }

  @Test
  void aConnectionThatGetsNoThreadIsRefusedAndTheServerGoesOn() throws Exception {
    // The JVM's or the system's limit on threads, reached on the second session only.
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory runsOutOnce =
        task -> {
          if (threads.incrementAndGet() == 2)
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
          return io.pointdata.udf.internal.SocketServer.DAEMON_THREADS.newThread(task);
        };
    server =
        UdfServer.builder(socket())
            .udf(Counter::new)
            .shutdownTimeout(Duration.ofSeconds(2))
            .sessionThreads(runsOutOnce)
            .build()
            .start();
    try (AgentWire first = AgentWire.connect(socket())) {
      assertEquals(MessageCase.INFO, first.info().take().getMessageCase());
      try (AgentWire second = AgentWire.connect(socket())) {
        // Told at once, before it sends anything, as a connection beyond maxSessions is.
        String error = second.take(MessageCase.ERROR).getError().getError();
        assertEquals(
            "refused: the UDF server cannot start a thread for this session: OutOfMemoryError:"
                + " unable to create native thread: possibly out of memory",
            error);
        assertEquals(List.of(), second.takeUntilEof(), "then closed");
      }
      try (AgentWire third = AgentWire.connect(socket())) {
        assertEquals(MessageCase.INFO, third.info().take().getMessageCase(), "still accepting");
      }
      assertEquals(1L, server.metrics().errors().get("refused"), () -> "" + server.metrics());
    }
    server.close();
    assertTrue(server.isTerminated(), "the refused connection is no session to wait for");
  }

  @Test
  void anAcceptingThreadThatFailsShutsTheServerDownAndRunsItsHook() throws Exception {
    CountDownLatch hookRan = new CountDownLatch(1);
    server =
        UdfServer.builder(socket())
            .udf(Counter::new)
            .shutdownTimeout(Duration.ofSeconds(2))
            .sessionThreads(
                task -> {
                  throw new InternalError("not understood");
                })
            .onAcceptFailure(hookRan::countDown)
            .build()
            .start();
    try (AgentWire wire = AgentWire.connect(socket())) {
      String error = wire.take(MessageCase.ERROR).getError().getError();
      assertEquals(
          "refused: the UDF server cannot start a thread for this session:"
              + " InternalError: not understood",
          error);
    }
    assertTrue(hookRan.await(10, TimeUnit.SECONDS), "the hook (UdfAgent's exit 1) did not run");
    assertTrue(server.awaitTermination(Duration.ofSeconds(10)), "the server terminated");
    assertFalse(Files.exists(socket()), "no socket file left that no one accepts on");
  }
}
