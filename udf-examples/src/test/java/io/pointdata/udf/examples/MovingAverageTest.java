package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MovingAverage}: Kapacitor's moving_avg example. */
class MovingAverageTest {
  /** The instance of the latest session: the task's, after Kapacitor's start-up one. */
  private static final AtomicReference<MovingAverage> latest = new AtomicReference<>();

  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(
          () -> {
            MovingAverage udf = new MovingAverage();
            latest.set(udf);
            return udf;
          });

  /** A point of host {@code host}, grouped by host as {@code |groupBy('host')} groups it. */
  static Point cpu(String host, long time, double value) {
    return Point.named("cpu")
        .dimensions(List.of("host"))
        .tag("host", host)
        .time(time)
        .field("value", value)
        .build();
  }

  static List<Double> averages(List<Point> points, String as) {
    return points.stream().map(p -> p.doubleField(as)).toList();
  }

  @Test
  void averagesTheLastSizeValuesFromTheFirstPoint(FakeKapacitor k) {
    k.init(".field('value').size(3)");
    for (int i = 0; i < 5; i++) k.send(cpu("a", i, new double[] {3, 6, 9, 12, 30}[i]));
    // 3; (3+6)/2; (3+6+9)/3; (6+9+12)/3; (9+12+30)/3
    assertEquals(List.of(3.0, 4.5, 6.0, 9.0, 17.0), averages(k.takePoints(5), "avg"));
    k.assertNoMorePoints();
  }

  @Test
  void keepsAWindowPerGroup(FakeKapacitor k) {
    k.init(".field('value').size(2).as('mean')");
    k.send(cpu("a", 1, 10))
        .send(cpu("b", 2, 100))
        .send(cpu("a", 3, 20))
        .send(cpu("b", 4, 300))
        .send(cpu("a", 5, 40));
    List<Point> out = k.takePoints(5);
    assertEquals(List.of(10.0, 100.0, 15.0, 200.0, 30.0), averages(out, "mean"));
    assertEquals(List.of("a", "b", "a", "b", "a"), out.stream().map(p -> p.tag("host")).toList());
    assertEquals(out.get(0).group(), out.get(2).group());
    assertTrue(!out.get(0).group().equals(out.get(1).group()), "a and b are groups of their own");
  }

  /** The fixtures README's example of grouped points, as it is written there. */
  @Test
  void keepsOneAveragePerHost(FakeKapacitor k) {
    k.init(".field('usage').size(2)");
    k.send(usage("a", 10.0)).send(usage("b", 50.0)).send(usage("a", 20.0));
    List<Point> out = k.takePoints(3);
    assertEquals(List.of(10.0, 50.0, 15.0), out.stream().map(p -> p.doubleField("avg")).toList());
    assertEquals("host=a", out.get(2).group());
  }

  static Point usage(String host, double usage) {
    return Point.named("cpu")
        .dimensions(List.of("host"))
        .tag("host", host)
        .field("usage", usage)
        .build();
  }

  @Test
  void withoutDimensionsEveryPointIsInTheOneEmptyGroup(FakeKapacitor k) {
    k.init(".field('usage').size(2)");
    k.send(Point.named("cpu").tag("host", "a").field("usage", 10.0).build())
        .send(Point.named("cpu").tag("host", "b").field("usage", 50.0).build());
    List<Point> out = k.takePoints(2);
    assertEquals(List.of(10.0, 30.0), averages(out, "avg"));
    assertEquals("", out.get(1).group());
  }

  @Test
  void outputIsTheInputPointWithBoolsKeptAndOtherFieldsReplacedByTheAverage(FakeKapacitor k) {
    k.init(".field('value').size(10).as('mean')");
    Point in =
        Point.named("cpu")
            .database("db")
            .retentionPolicy("rp")
            .dimensions(List.of("host"))
            .tag("host", "a")
            .tag("dc", "x")
            .time(1_704_067_200_000_000_000L)
            .field("value", 4.0)
            .field("count", 7L)
            .field("label", "s")
            .field("ok", true)
            .build();
    k.send(in);
    Point out = k.takePoint();
    Point expected =
        in.toBuilder()
            .removeField("value")
            .removeField("count")
            .removeField("label")
            .field("mean", 4.0)
            .build();
    assertEquals(
        Protocol.toProto(expected.toBuilder().group(out.group()).build()), Protocol.toProto(out));
    assertFalse(out.group().isEmpty(), "grouped by host");
  }

  @Test
  void intFieldIsAveragedAsItsNumber(FakeKapacitor k) {
    k.init(".field('value').size(2)");
    k.send(Point.named("cpu").field("value", 3L).build())
        .send(Point.named("cpu").field("value", 4L).build());
    assertEquals(List.of(3.0, 3.5), averages(k.takePoints(2), "avg"));
  }

  @Test
  void pointsWithoutAFiniteNumberAreDroppedAndCountedNotAveragedAsZero(FakeKapacitor k) {
    k.init(".field('value').size(3)");
    k.send(cpu("a", 1, 6))
        .send(
            Point.named("cpu")
                .dimensions(List.of("host"))
                .tag("host", "a")
                .time(2)
                .field("other", 1.0)
                .build())
        .send(
            Point.named("cpu")
                .dimensions(List.of("host"))
                .tag("host", "a")
                .time(3)
                .field("value", "high")
                .build())
        .send(cpu("a", 4, Double.NaN))
        .send(cpu("a", 5, Double.POSITIVE_INFINITY))
        .send(cpu("a", 6, 2));
    assertEquals(List.of(6.0, 4.0), averages(k.takePoints(2), "avg"));
    k.assertNoMorePoints();
    assertEquals(4, latest.get().dropped());
  }

  @Test
  void snapshotAndRestoreCarryEveryGroupsWindowToANewTask() {
    List<Point> first =
        List.of(cpu("a", 1, 1), cpu("b", 2, 10), cpu("a", 3, 2), cpu("a", 4, 3), cpu("a", 5, 4));
    List<Point> then = List.of(cpu("a", 6, 100), cpu("b", 7, 20), cpu("c", 8, 5), cpu("a", 9, 0.5));
    List<Point> uninterrupted;
    byte[] snapshot;
    try (FakeKapacitor before = FakeKapacitor.forUdf(MovingAverage::new)) {
      before.init(".field('value').size(4)");
      before.sendAll(first).takePoints(first.size());
      snapshot = before.snapshot();
      before.sendAll(then);
      uninterrupted = before.takePoints(then.size());
    }
    try (FakeKapacitor after = FakeKapacitor.forUdf(MovingAverage::new)) {
      after.init(".field('value').size(4)").restore(snapshot);
      after.sendAll(then);
      List<Point> restored = after.takePoints(then.size());
      assertEquals(uninterrupted, restored);
      // a: 1, 2, 3, 4, then 100 slides 1 out and 0.5 slides 2 out; b: 10 then 20; c starts fresh.
      assertEquals(List.of(27.25, 15.0, 5.0, 26.875), averages(restored, "avg"));
    }
  }

  @Test
  void aRestoredWindowKeepsTheSizeItWasWrittenWith() {
    byte[] snapshot;
    try (FakeKapacitor before = FakeKapacitor.forUdf(MovingAverage::new)) {
      before.init(".field('value').size(2)");
      before.send(cpu("a", 1, 1)).send(cpu("a", 2, 3)).takePoints(2);
      snapshot = before.snapshot();
    }
    try (FakeKapacitor after = FakeKapacitor.forUdf(MovingAverage::new)) {
      after.init(".field('value').size(5)").restore(snapshot);
      after.send(cpu("a", 3, 5)).send(cpu("b", 4, 1)).send(cpu("b", 5, 2)).send(cpu("b", 6, 3));
      // a restored with size 2: (3 + 5) / 2; b new, with size 5.
      assertEquals(List.of(4.0, 1.0, 1.5, 2.0), averages(after.takePoints(4), "avg"));
    }
  }

  @Test
  void aSnapshotOfAnotherUdfIsRefusedWithAReason(FakeKapacitor k) {
    k.init(".field('value').size(2)");
    String error =
        k.tryRestore("not a snapshot".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .orElseThrow();
    assertEquals(
        "the snapshot (14 bytes) has no GroupState header: it was not written by"
            + " GroupState.toSnapshot",
        error);
  }

  @Test
  void optionsAreCheckedAtInit(FakeKapacitor k) {
    assertEquals(
        "option 'field' is required; option 'size' is required", k.tryInit(Map.of()).error());
    assertEquals(
        "option 'size' must be between 1 and 1000000, got 0",
        k.tryInit(".field('value').size(0)").error());
    assertEquals(
        "option 'as' must not be empty, got ''",
        k.tryInit(".field('value').size(1).as('')").error());
  }
}
