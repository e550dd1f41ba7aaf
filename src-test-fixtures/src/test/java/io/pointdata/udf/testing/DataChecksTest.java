package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data checks of {@link FakeKapacitor} and {@link FakeKapacitorExtension}: a correct UDF passes
 * them, and each lossy UDF fails one, with a message naming what was lost.
 */
class DataChecksTest {
  @RegisterExtension
  static final FakeKapacitorExtension movingAvg =
      FakeKapacitorExtension.forHandler(GoMovingAvg::new);

  /** Two groups, values that vary, so that a moving average depends on the state of its group. */
  static final List<Point> POINTS = points(40);

  static List<Point> points(int n) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(
          Point.named("cpu")
              .tag("host", i % 3 == 0 ? "a" : "b")
              .field("value", (i * 7 % 11) + 0.5)
              .time(Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofSeconds(i)))
              .build());
    }
    return points;
  }

  @Test
  void goMovingAvgPassesBothChecks(FakeKapacitor k) {
    k.init(".field('value').size(3)");
    k.assertSameOutputWhenPipelined(POINTS);
    k.assertStateSurvivesRestore(POINTS);
  }

  @Test
  void theExtensionRunsTheChecksWithTheOptionsGiven() {
    movingAvg.assertSameOutputWhenPipelined(".field('value').size(3)", POINTS);
    movingAvg.assertStateSurvivesRestore(".field('value').size(3)", POINTS);
  }

  @Test
  void theTestsOwnTaskGoesOnAfterTheChecks(FakeKapacitor k) {
    k.init(".field('value').size(2)");
    k.send(POINTS.get(0));
    k.assertStateSurvivesRestore(POINTS);
    k.send(POINTS.get(3)); // same group (host=a): the average of the two
    k.takePoint();
    assertEquals(
        (POINTS.get(0).doubleField("value") + POINTS.get(3).doubleField("value")) / 2,
        k.takePoint().doubleField("avg"));
  }

  @Test
  void batchUdfPassesBothChecks() {
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      batches.add(
          TestData.batch(
              Map.of("host", "a"),
              "cpu,host=a value=" + b + ".5 " + (1_000_000_000L * (2 * b + 1)),
              "cpu,host=a value=" + b + " " + (1_000_000_000L * (2 * b + 2))));
    }
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvmHandler(MirrorHandler::new)).build()) {
      k.init("");
      k.assertSameOutputWhenPipelinedBatches(batches);
      k.assertStateSurvivesRestoreBatches(batches);
    }
  }

  @Test
  void pipelinedInputLosesTheAnswersAnAgentStillQueuesAtEndOfInput() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(LossyUdfs.DropsQueuedAnswersAtEof.target()).build()) {
      k.init("");
      AssertionError e =
          assertThrows(AssertionError.class, () -> k.assertSameOutputWhenPipelined(points(200)));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "pipelined run 1 of 3 (200 points written back to back, then the input "
                      + "closed at once): the pipelined run gave "),
          e.getMessage());
      assertTrue(e.getMessage().contains(" outputs, the paced run 200: lost "), e.getMessage());
      assertTrue(e.getMessage().contains("(the last), the first point {time: "), e.getMessage());
    }
  }

  @Test
  void pacedInputLosesNothingFromTheSameAgent() {
    // The same UDF answers every paced point: the loss above is the pipelining's alone.
    try (FakeKapacitor k =
        FakeKapacitor.builder(LossyUdfs.DropsQueuedAnswersAtEof.target()).build()) {
      k.init("");
      for (Point p : points(20)) {
        k.send(p);
        assertEquals(p.time(), k.takePoint().time());
      }
    }
  }

  @Test
  void outputHeldAndDroppedAtEndOfInputIsLostAcrossARestart() {
    try (FakeKapacitor k = FakeKapacitor.builder(LossyUdfs.AnswersOneLate.target()).build()) {
      k.init("");
      List<Point> points = points(20);
      AssertionError e =
          assertThrows(AssertionError.class, () -> k.assertStateSurvivesRestore(points));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "cut after 1 point (Snapshot, task stopped, new task, Init, Restore of the 0-byte"
                      + " snapshot, then points 2..20): the run restored from a snapshot gave 18"
                      + " outputs, the uninterrupted run 19: lost output #1, point {time: "
                      + points.get(0).time()
                      + " name: \"cpu\""),
          e.getMessage());
    }
  }

  @Test
  void restoreThatIgnoresTheSnapshotShowsTheFirstOutputThatDiffers() {
    try (FakeKapacitor k = FakeKapacitor.forUdf(LossyUdfs.RestoreIgnoresSnapshot::new)) {
      k.init("");
      AssertionError e =
          assertThrows(AssertionError.class, () -> k.assertStateSurvivesRestore(POINTS));
      // Values 0.5, 7.5, ...: the uninterrupted sum at point 2 is 8.0; restored from zero, 7.5.
      assertTrue(
          e.getMessage()
              .startsWith(
                  "cut after 1 point (Snapshot, task stopped, new task, Init, Restore of the 8-byte"
                      + " snapshot, then points 2..40): output #2 differs: the uninterrupted run"
                      + " gave point {"),
          e.getMessage());
      assertTrue(e.getMessage().contains("key: \"sum\" value: 8.0"), e.getMessage());
      assertTrue(e.getMessage().contains("key: \"sum\" value: 7.5"), e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  "restore all the state the output depends on, and emit what is held when "
                      + "the input ends"),
          e.getMessage());
    }
  }

  @Test
  void nondeterministicUdfIsComparedByCountsOnly() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvm(LossyUdfs.RestoreIgnoresSnapshot::new))
            .nondeterministic()
            .build()) {
      k.init("");
      k.assertStateSurvivesRestore(POINTS);
    }
  }

  @Test
  void checksNeedTheTasksOptionsAndTwoPoints(FakeKapacitor k) {
    IllegalStateException early =
        assertThrows(IllegalStateException.class, () -> k.assertStateSurvivesRestore(POINTS));
    assertTrue(
        early.getMessage().startsWith("the task is not running: call init first"),
        early.getMessage());
    k.init(".field('value').size(3)");
    assertThrows(
        IllegalArgumentException.class,
        () -> k.assertSameOutputWhenPipelined(POINTS.subList(0, 1)));
  }
}
