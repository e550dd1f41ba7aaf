package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdClassifierTest {
  @TempDir Path dir;
  private final AtomicReference<ThresholdClassifier> instance = new AtomicReference<>();

  private Connected temperature() throws Exception {
    return Connected.to(() -> remember(ThresholdClassifier.temperature()), dir);
  }

  private Connected humidity() throws Exception {
    return Connected.to(() -> remember(ThresholdClassifier.humidity()), dir);
  }

  private ThresholdClassifier remember(ThresholdClassifier udf) {
    instance.set(udf);
    return udf;
  }

  private static Point reading(String field, double value) {
    return Point.named("point_data").tag("host", "h").field(field, value).build();
  }

  private static Point intReading(String field, long value) {
    return Point.named("point_data").tag("host", "h").field(field, value).build();
  }

  @Test
  void temperatureForwardsOnlyValuesStrictlyOutsideTwentyToTwentyFive() throws Exception {
    try (Connected k = temperature()) {
      assertTrue(k.init(Map.of()).getSuccess());
      double[] values = {20.0, 25.0, 19.999999, 25.000001, 22.5, -0.0};
      List<Point> sent = java.util.Arrays.stream(values).mapToObj(v -> reading("temperature", v)).toList();
      List<Point> forwarded = k.send(sent.toArray(Point[]::new));
      assertEquals(List.of(sent.get(2), sent.get(3), sent.get(5)), forwarded);
    }
  }

  @Test
  void temperatureDropsNaNAndComparesInfinities() throws Exception {
    try (Connected k = temperature()) {
      k.init(Map.of());
      Point nan = reading("temperature", Double.NaN);
      Point plus = reading("temperature", Double.POSITIVE_INFINITY);
      Point minus = reading("temperature", Double.NEGATIVE_INFINITY);
      assertEquals(List.of(plus, minus), k.send(nan, plus, minus));
    }
  }

  @Test
  void humidityForwardsOnlyValuesAboveTwentyFive() throws Exception {
    try (Connected k = humidity()) {
      k.init(Map.of());
      Point low = reading("humidity", 10.0);
      Point max = reading("humidity", 25.0);
      Point above = reading("humidity", 25.000001);
      Point nan = reading("humidity", Double.NaN);
      Point plus = reading("humidity", Double.POSITIVE_INFINITY);
      Point minus = reading("humidity", Double.NEGATIVE_INFINITY);
      assertEquals(List.of(above, plus), k.send(low, max, above, nan, plus, minus));
    }
  }

  @Test
  void intFieldIsComparedAsItsNumberAndForwardedUnchanged() throws Exception {
    try (Connected k = temperature()) {
      k.init(Map.of());
      Point cold = intReading("temperature", 19);
      Point mild = intReading("temperature", 20);
      Point hot = intReading("temperature", 26);
      List<Point> forwarded = k.send(cold, mild, hot);
      assertEquals(List.of(cold, hot), forwarded);
      assertEquals(Map.of(), forwarded.get(1).doubleFields(), "no double field added");
    }
  }

  @Test
  void pointWithoutTheFieldIsDroppedAndCounted() throws Exception {
    try (Connected k = temperature()) {
      k.init(Map.of());
      Point noField = reading("humidity", 10.0);
      Point stringField = Point.named("point_data").field("temperature", "hot").build();
      Point hot = reading("temperature", 30.0);
      assertEquals(List.of(hot), k.send(noField, stringField, hot));
      ThresholdClassifier.Counts counts = instance.get().counts();
      assertEquals(3, counts.in);
      assertEquals(1, counts.forwarded);
      assertEquals(2, counts.withoutField);
    }
  }

  @Test
  void forwardedPointKeepsEveryAttribute() throws Exception {
    try (Connected k = temperature()) {
      k.init(Map.of());
      Point full = Point.named("point_data").database("datain").retentionPolicy("autogen").group("host=h,")
          .dimensions(List.of("host")).byName(true).time(1_594_927_500_000_000_002L)
          .tag("host", "h").tag("topic", "t").field("temperature", 26.0).field("n", 7L)
          .field("s", "v").field("flag", true).build();
      assertEquals(List.of(full), k.send(full));
    }
  }

  @Test
  void optionsMoveTheThresholdsAndTheField() throws Exception {
    try (Connected k = temperature()) {
      assertTrue(k.init(Map.of("min", 18.0, "max", 30.0, "field", "t")).getSuccess());
      Point inside = reading("t", 19.0);
      Point below = reading("t", 17.5);
      Point above = reading("t", 30.5);
      Point otherField = reading("temperature", 10.0);
      assertEquals(List.of(below, above), k.send(inside, below, above, otherField));
    }
  }

  @Test
  void humidityTakesAnOptionalLowerBound() throws Exception {
    try (Connected k = humidity()) {
      assertTrue(k.init(Map.of("min", 5.0)).getSuccess());
      Point dry = reading("humidity", 4.0);
      Point normal = reading("humidity", 20.0);
      assertEquals(List.of(dry), k.send(dry, normal));
    }
  }

  @Test
  void refusesMinAboveMax() throws Exception {
    try (Connected k = temperature()) {
      UdfProto.InitResponse init = k.init(Map.of("min", 30.0, "max", 25.0));
      assertFalse(init.getSuccess());
      assertEquals("option 'min' (30.0) must not be above 'max' (25.0)", init.getError());
    }
  }

  @Test
  void refusesAnIntWhereADoubleIsDeclared() throws Exception {
    try (Connected k = temperature()) {
      UdfProto.InitResponse init = k.init(Map.of("max", 25L));
      assertFalse(init.getSuccess());
      assertEquals("option 'max' must be DOUBLE, got INT", init.getError());
    }
  }
}
