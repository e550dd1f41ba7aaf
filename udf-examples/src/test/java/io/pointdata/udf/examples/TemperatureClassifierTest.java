package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointdata.udf.Point;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import io.pointdata.udf.testing.InitResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The temperature preset of {@link ThresholdClassifier}: forwards {@code t < 20 or t > 25}. */
class TemperatureClassifierTest {
  /** The instance of the latest session: the task's, after Kapacitor's start-up one. */
  private static final AtomicReference<ThresholdClassifier> latest = new AtomicReference<>();

  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(
          () -> {
            ThresholdClassifier udf = ThresholdClassifier.temperature();
            latest.set(udf);
            return udf;
          });

  static Point reading(String field, double value) {
    return Point.named("point_data").tag("host", "h").field(field, value).build();
  }

  static Point intReading(String field, long value) {
    return Point.named("point_data").tag("host", "h").field(field, value).build();
  }

  @Test
  void forwardsOnlyValuesStrictlyOutsideTwentyToTwentyFive(FakeKapacitor k) {
    k.init(Map.of());
    List<Point> sent =
        Arrays.stream(new double[] {20.0, 25.0, 19.999999, 25.000001, 22.5, -0.0})
            .mapToObj(v -> reading("temperature", v))
            .toList();
    k.sendAll(sent);
    assertEquals(List.of(sent.get(2), sent.get(3), sent.get(5)), k.takePoints(3));
    k.assertNoMorePoints();
  }

  @Test
  void dropsNaNAndComparesInfinities(FakeKapacitor k) {
    k.init(Map.of());
    Point plus = reading("temperature", Double.POSITIVE_INFINITY);
    Point minus = reading("temperature", Double.NEGATIVE_INFINITY);
    k.send(reading("temperature", Double.NaN)).send(plus).send(minus);
    assertEquals(List.of(plus, minus), k.takePoints(2));
    k.assertNoMorePoints();
  }

  @Test
  void intFieldIsComparedAsItsNumberAndForwardedUnchanged(FakeKapacitor k) {
    k.init(Map.of());
    Point cold = intReading("temperature", 19);
    Point hot = intReading("temperature", 26);
    k.send(cold).send(intReading("temperature", 20)).send(hot);
    List<Point> forwarded = k.takePoints(2);
    assertEquals(List.of(cold, hot), forwarded);
    assertEquals(Map.of(), forwarded.get(1).doubleFields(), "no double field added");
    k.assertNoMorePoints();
  }

  @Test
  void pointWithoutTheFieldIsDroppedAndCounted(FakeKapacitor k) {
    k.init(Map.of());
    Point hot = reading("temperature", 30.0);
    k.send(reading("humidity", 10.0))
        .send(Point.named("point_data").field("temperature", "hot").build())
        .send(hot);
    assertEquals(hot, k.takePoint());
    k.assertNoMorePoints();
    ThresholdClassifier.Counts counts = latest.get().counts();
    assertEquals(3, counts.in);
    assertEquals(1, counts.forwarded);
    assertEquals(2, counts.withoutField);
  }

  @Test
  void forwardedPointKeepsEveryAttribute(FakeKapacitor k) {
    k.init(Map.of());
    Point full =
        Point.named("point_data")
            .database("datain")
            .retentionPolicy("autogen")
            .dimensions(List.of("host"))
            .byName(true)
            .time(1_594_927_500_000_000_002L)
            .tag("host", "h")
            .tag("topic", "t")
            .field("temperature", 26.0)
            .field("n", 7L)
            .field("s", "v")
            .field("flag", true)
            .build();
    k.send(full);
    // Kapacitor computes the group from name, tags, dimensions and byName, going in and coming
    // back.
    Point back = k.takePoint();
    assertEquals("point_data\nhost=h", back.group());
    assertEquals(full.toBuilder().group(back.group()).build(), back);
  }

  @Test
  void optionsMoveTheThresholdsAndTheField(FakeKapacitor k) {
    k.init(".min(18.0).max(30.0).field('t')");
    Point below = reading("t", 17.5);
    Point above = reading("t", 30.5);
    k.send(reading("t", 19.0)).send(below).send(above).send(reading("temperature", 10.0));
    assertEquals(List.of(below, above), k.takePoints(2));
    k.assertNoMorePoints();
  }

  @Test
  void refusesMinAboveMax(FakeKapacitor k) {
    InitResult init = k.tryInit(".min(30.0).max(25.0)");
    assertFalse(init.success(), "Init accepted: " + init);
    assertEquals("option 'min' (30.0) must not be above 'max' (25.0)", init.error());
  }

  @Test
  void declaresMaxAsDoubleSoKapacitorRefusesAnInt(FakeKapacitor k) {
    InitResult init = k.tryInit(".max(25)");
    assertEquals(true, init.rejectedAtDefine());
    assertEquals("unexpected arg to max, got INT expected DOUBLE", init.error());
  }
}
