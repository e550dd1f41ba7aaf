package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed, fluent layer a UDF author's tests use. */
class FakeKapacitorTest {
  private static final Point CPU = Point.named("cpu").field("usage", 1.0).build();

  @Test
  void assertNoMorePointsCatchesAPointStillBeingComputed() {
    Udf slow =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void point(Point point, Emitter out) throws InterruptedException {
            Thread.sleep(200); // our agent answers keepalives meanwhile, ahead of this point
            out.emit(point);
          }
        };
    try (FakeKapacitor k = FakeKapacitor.forUdf(() -> slow)) {
      k.init("").send(CPU);
      AssertionError e = assertThrows(AssertionError.class, k::assertNoMorePoints);
      assertTrue(
          e.getMessage().startsWith("expected no more output, but the UDF sent 1"), e.getMessage());
      assertTrue(
          e.getMessage().endsWith("first: cpu usage=1.0 0"),
          "shown as line protocol: " + e.getMessage());
      k.takePoint();
    }
  }

  @Test
  void withoutFrameRecordingPointsStillFlowAndTheRecordingIsRefusedByName() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvm(Threshold::new)).recordFrames(false).build()) {
      k.init(".field('usage').threshold(0.5)");
      for (int i = 0; i < 1_000; i++) k.send(CPU);
      for (int i = 0; i < 1_000; i++) assertEquals(CPU, k.takePoint());
      k.assertNoMorePoints();
      IllegalStateException e = assertThrows(IllegalStateException.class, k::recording);
      assertEquals(
          "this session keeps no frames: its simulator was built with recordFrames(false)",
          e.getMessage());
    }
  }

  /**
   * Counts points; its timer, at the period the TICKscript sets, emits the count since the last
   * one.
   */
  static final class TimedCounter implements Udf {
    static final Option<Duration> EVERY = Option.ofDuration("every");
    private long count;

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().options(EVERY).build();
    }

    @Override
    public void init(InitContext ctx) {
      ctx.timer(ctx.get(EVERY));
    }

    @Override
    public void point(Point point, Emitter out) {
      count++;
    }

    @Override
    public void timer(Emitter out) {
      if (count > 0) out.emit(Point.named("count").field("n", count).build());
      count = 0;
    }
  }

  @Test
  void aTimerWithAPeriodFromTheTickscriptEmitsWithoutInput() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(TimedCounter::new)) {
      k.init(".every(50ms)").send(CPU).send(CPU);
      long counted = 0;
      while (counted < 2) counted += k.takePoint().longField("n");
      assertEquals(2, counted);
    }
  }

  @Test
  void takePointFailsOnceTheOutputWaitIsOver() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvm(Threshold::new))
            .outputWait(Duration.ofMillis(200))
            .build()) {
      k.init(".field('usage')").send(CPU);
      AssertionError e = assertThrows(AssertionError.class, k::takePoint);
      assertEquals("no output from the UDF within PT0.2S", e.getMessage());
    }
  }

  @Test
  void sendingAStreamPointToABatchUdfIsRefused() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::batches)) {
      k.init("");
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.send(CPU));
      assertTrue(
          e.getMessage().startsWith("the UDF wants batches (its Info says wants=BATCH)"),
          e.getMessage());
    }
  }

  @Test
  void batchComesBackAsKapacitorAssemblesIt() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::batches)) {
      k.init("")
          .sendBatch(
              TestData.batch(
                  Map.of("host", "a"), "cpu,core=0 usage=1.0 10", "cpu,core=1 usage=2.0 20"));
      Batch out = k.takeBatch();
      assertEquals("cpu", out.name());
      assertEquals("host=a", out.group());
      assertEquals(20, out.tmax());
      assertEquals(List.of(2L, 2L), out.points().stream().map(p -> p.longField("count")).toList());
      assertEquals(List.of("a", "a"), out.points().stream().map(p -> p.tag("host")).toList());
    }
  }

  @Test
  void snapshotRestoresIntoANewTask() {
    byte[] snapshot;
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::stream)) {
      k.init("").send(CPU).send(CPU);
      assertEquals(2, k.takePoints(2).get(1).longField("count"));
      snapshot = k.snapshot();
    }
    assertArrayEquals(ByteBuffer.allocate(8).putLong(2).array(), snapshot);
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::stream)) {
      k.init("").restore(snapshot).send(CPU);
      assertEquals(3, k.takePoint().longField("count"));
    }
  }

  @Test
  void restoreRefusedByTheUdfFailsWithKapacitorsError() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::stream)) {
      k.init("");
      assertEquals("snapshot of 3 bytes; want 8", k.tryRestore(new byte[3]).orElseThrow());
      AssertionError e = assertThrows(AssertionError.class, () -> k.restore(new byte[3]));
      assertEquals("error restoring snapshot: snapshot of 3 bytes; want 8", e.getMessage());
    }
  }

  @Test
  void initTwiceIsAMistake() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Counter::stream)) {
      k.init("");
      assertThrows(IllegalStateException.class, () -> k.init(""));
    }
  }

  @Test
  void refusedInitCanBeTriedAgain() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(Threshold::new)) {
      assertEquals("option 'field' is required", k.tryInit("").error());
      k.init(".field('usage').threshold(0.5)").send(CPU);
      assertEquals(1.0, k.takePoint().doubleField("usage"));
    }
  }

  /** Counts the points it sees, adding the count to each; its snapshot is the count. */
  static final class Counter implements Udf {
    private final UdfSpec spec;
    private long count;

    private Counter(UdfSpec spec) {
      this.spec = spec;
    }

    static Counter stream() {
      return new Counter(UdfSpec.stream().build());
    }

    static Counter batches() {
      return new Counter(UdfSpec.batch().build());
    }

    @Override
    public UdfSpec spec() {
      return spec;
    }

    @Override
    public void point(Point point, Emitter out) {
      out.emit(point.toBuilder().field("count", ++count).build());
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      count += batch.size();
      out.emit(
          Batch.named(batch.name())
              .tags(batch.tags())
              .tmax(batch.tmax())
              .points(
                  batch.points().stream()
                      .map(p -> p.toBuilder().field("count", count).build())
                      .toList())
              .build());
    }

    @Override
    public byte[] snapshot() {
      return ByteBuffer.allocate(8).putLong(count).array();
    }

    @Override
    public void restore(byte[] snapshot) {
      if (snapshot.length != 8)
        throw new io.pointdata.udf.UdfException(
            "snapshot of " + snapshot.length + " bytes; want 8");
      count = ByteBuffer.wrap(snapshot).getLong();
    }
  }

  /** A setting made once, then again, and the message the second call gets. */
  private record SecondCall(
      java.util.function.Consumer<FakeKapacitor.Builder> first,
      java.util.function.Consumer<FakeKapacitor.Builder> second,
      String message) {}

  @Test
  void everySettingMadeTwiceFailsAtTheSecondCallNamingTheFirstValue() {
    ManualClock clock = new ManualClock();
    List<SecondCall> calls =
        List.of(
            new SecondCall(
                b -> b.timeout(Duration.ofSeconds(3)),
                b -> b.timeout(Duration.ofSeconds(4)),
                "timeout was already set to PT3S"),
            new SecondCall(
                b -> b.clock(clock), b -> b.clock(clock), "clock was already set to " + clock),
            new SecondCall(
                b -> b.clock(clock),
                FakeKapacitor.Builder::manualClock,
                "clock was already set to " + clock),
            new SecondCall(
                b -> b.keepaliveReplyGrace(Duration.ofSeconds(1)),
                b -> b.keepaliveReplyGrace(Duration.ofSeconds(2)),
                "keepaliveReplyGrace was already set to PT1S"),
            new SecondCall(
                b -> b.responseWait(Duration.ofSeconds(1)),
                b -> b.responseWait(Duration.ofSeconds(2)),
                "responseWait was already set to PT1S"),
            new SecondCall(
                b -> b.outputWait(Duration.ofSeconds(1)),
                b -> b.outputWait(Duration.ofSeconds(2)),
                "outputWait was already set to PT1S"),
            new SecondCall(
                b -> b.exitWait(Duration.ofSeconds(1)),
                b -> b.exitWait(Duration.ofSeconds(2)),
                "exitWait was already set to PT1S"),
            new SecondCall(
                b -> b.socketRetry(Duration.ofMillis(100), Duration.ofSeconds(5)),
                b -> b.socketRetry(Duration.ofMillis(200), Duration.ofSeconds(5)),
                "socketRetry was already set to PT0.1S and PT5S"),
            new SecondCall(
                b -> b.taskId("cpu_alert"),
                b -> b.taskId("t2"),
                "taskId was already set to cpu_alert"),
            new SecondCall(
                b -> b.nodeId("udf3"), b -> b.nodeId("n"), "nodeId was already set to udf3"),
            new SecondCall(
                b -> b.name("threshold"), b -> b.name("n"), "name was already set to threshold"),
            new SecondCall(
                b -> b.recordFrames(false),
                b -> b.recordFrames(true),
                "recordFrames was already set to false"),
            new SecondCall(
                FakeKapacitor.Builder::nondeterministic,
                FakeKapacitor.Builder::nondeterministic,
                "nondeterministic() was already called"));
    for (SecondCall call : calls) {
      FakeKapacitor.Builder builder = FakeKapacitor.builder(UdfTarget.inJvm(Threshold::new));
      call.first().accept(builder);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> call.second().accept(builder));
      assertEquals(call.message(), e.getMessage());
    }
  }

  @Test
  void theSimulatorBuilderRefusesASettingMadeTwiceToo() {
    KapacitorSimulator.Builder builder =
        KapacitorSimulator.builder(UdfTarget.inJvm(Threshold::new)).timeout(Duration.ofSeconds(3));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.timeout(Duration.ofSeconds(4)));
    assertEquals("timeout was already set to PT3S", e.getMessage());
  }

  @Test
  void aSettingWhoseArgumentWasRefusedCanStillBeMade() {
    FakeKapacitor.Builder builder = FakeKapacitor.builder(UdfTarget.inJvm(Threshold::new));
    assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ofMillis(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.socketRetry(Duration.ofMillis(100), Duration.ofSeconds(-1)));
    builder.timeout(Duration.ofSeconds(2)).socketRetry(Duration.ofMillis(100), Duration.ZERO);
    assertEquals(
        "socketRetry was already set to PT0.1S and PT0S",
        assertThrows(
                IllegalStateException.class,
                () -> builder.socketRetry(Duration.ofMillis(1), Duration.ZERO))
            .getMessage());
  }
}
