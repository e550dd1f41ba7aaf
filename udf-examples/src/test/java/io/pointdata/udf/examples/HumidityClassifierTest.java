package io.pointdata.udf.examples;

import static io.pointdata.udf.examples.TemperatureClassifierTest.intReading;
import static io.pointdata.udf.examples.TemperatureClassifierTest.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Point;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The humidity preset of {@link ThresholdClassifier}: forwards {@code h > 25}. */
class HumidityClassifierTest {
  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(ThresholdClassifier::humidity);

  @Test
  void forwardsOnlyValuesAboveTwentyFive(FakeKapacitor k) {
    k.init(Map.of());
    Point above = reading("humidity", 25.000001);
    Point plus = reading("humidity", Double.POSITIVE_INFINITY);
    k.send(reading("humidity", 10.0))
        .send(reading("humidity", 25.0))
        .send(above)
        .send(reading("humidity", Double.NaN))
        .send(plus)
        .send(reading("humidity", Double.NEGATIVE_INFINITY));
    assertEquals(List.of(above, plus), k.takePoints(2));
    k.assertNoMorePoints();
  }

  @Test
  void intFieldIsComparedAsItsNumber(FakeKapacitor k) {
    k.init(Map.of());
    Point wet = intReading("humidity", 90);
    k.send(intReading("humidity", 25)).send(wet);
    assertEquals(wet, k.takePoint());
    k.assertNoMorePoints();
  }

  @Test
  void pointWithoutTheFieldIsDropped(FakeKapacitor k) {
    k.init(Map.of());
    k.send(reading("temperature", 40.0));
    k.assertNoMorePoints();
  }

  @Test
  void takesAnOptionalLowerBound(FakeKapacitor k) {
    k.init(".min(5.0)");
    Point dry = reading("humidity", 4.0);
    k.send(dry).send(reading("humidity", 20.0));
    assertEquals(dry, k.takePoint());
    k.assertNoMorePoints();
  }
}
