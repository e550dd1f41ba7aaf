package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.UdfServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same UDF driven through each transport: in this JVM, as a process, and on a Unix socket. */
class TransportsTest {
  private static final Point HOT = Point.named("cpu").tag("host", "a").field("usage", 95.0).build();

  /** How long a new JVM may take to answer Info on a loaded machine (timeout and wait). */
  private static final Duration JVM_START = Duration.ofSeconds(30);

  private static final Point COLD =
      Point.named("cpu").tag("host", "a").field("usage", 42.0).build();

  @Test
  void inJvm() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Threshold::new)) {
      assertFiltersAndStopsCleanly(k, OptionalInt.of(0));
    }
  }

  @Test
  void process() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.process(JavaCommand.of(Threshold.class)))
            .timeout(JVM_START)
            .responseWait(JVM_START)
            .build()) {
      assertFiltersAndStopsCleanly(k, OptionalInt.of(0));
    }
  }

  @Test
  void processGetsItsEnvironment() {
    List<String> command = JavaCommand.of(EnvEcho.class);
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.process(command, Map.of("UDF_GREETING", "hello")))
            .timeout(JVM_START)
            .responseWait(JVM_START)
            .build()) {
      k.init("");
      k.send(COLD);
      assertEquals("hello", k.takePoint().stringField("UDF_GREETING"));
    }
  }

  @Test
  void processThatCannotStartFailsWithTheReason() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.process(List.of("/nonexistent/udf"))).build()) {
      AssertionError e = assertThrows(AssertionError.class, () -> k.init(""));
      assertTrue(
          e.getMessage().contains("cannot open the UDF (process /nonexistent/udf)"),
          e.getMessage());
    }
  }

  @Test
  void socket(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("t.sock");
    try (UdfServer server = UdfServer.builder(socket).udf(Threshold::new).build().start();
        FakeKapacitor k = FakeKapacitor.builder(UdfTarget.socket(socket)).build()) {
      assertFiltersAndStopsCleanly(k, OptionalInt.empty());
    }
  }

  @Test
  void socketThatAppearsLateIsDialledAgain(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("late.sock");
    FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.socket(socket))
            .socketRetry(Duration.ofMillis(50), Duration.ofSeconds(20))
            .build();
    CompletableFuture<InitResult> init =
        CompletableFuture.supplyAsync(() -> k.tryInit(".field('usage')"));
    // The fake is now dialling a socket that does not exist yet.
    try (UdfServer server = UdfServer.builder(socket).udf(Threshold::new).build()) {
      Thread.sleep(300);
      server.start();
      InitResult result = init.get(20, TimeUnit.SECONDS);
      assertTrue(result.success(), result.toString());
      k.send(HOT);
      assertEquals(95.0, k.takePoint().doubleField("usage"));
      k.close();
    }
  }

  @Test
  void socketThatNeverAppearsFailsOnceTheRetryBudgetIsSpent(@TempDir Path dir) {
    Path socket = dir.resolve("none.sock");
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.socket(socket))
            .socketRetry(Duration.ofMillis(20), Duration.ofMillis(200))
            .build()) {
      AssertionError e = assertThrows(AssertionError.class, () -> k.init(""));
      assertTrue(
          e.getMessage()
              .contains("cannot open the UDF (socket " + socket + "): dial unix " + socket),
          e.getMessage());
      assertTrue(e.getMessage().contains("gave up after"), e.getMessage());
    }
  }

  private static void assertFiltersAndStopsCleanly(FakeKapacitor k, OptionalInt exitStatus) {
    k.init(".field('usage')");
    k.send(HOT).send(COLD);
    Point out = k.takePoint();
    assertEquals(95.0, out.doubleField("usage"));
    assertEquals("a", out.tag("host"));
    k.assertNoMorePoints();
    StopResult stop = k.stop();
    assertTrue(stop.clean(), stop.toString());
    assertEquals(exitStatus, stop.exitStatus());
  }
}
