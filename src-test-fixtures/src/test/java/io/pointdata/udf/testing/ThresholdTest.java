package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointdata.udf.Point;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test a UDF author writes, exactly as the style guide's target. */
class ThresholdTest {
  @RegisterExtension
  static final FakeKapacitorExtension kapacitor = FakeKapacitorExtension.forUdf(Threshold::new);

  @Test
  void forwardsOnlyPointsAboveDefaultThreshold(FakeKapacitor k) {
    k.init(Map.of("field", "usage"));
    k.send(Point.named("cpu").field("usage", 95.0).build());
    k.send(Point.named("cpu").field("usage", 42.0).build());
    assertEquals(95.0, k.takePoint().doubleField("usage"));
    k.assertNoMorePoints();
  }

  @Test
  void rejectsMissingField(FakeKapacitor k) {
    InitResult result = k.tryInit(Map.of());
    assertFalse(result.success());
    assertEquals("option 'field' is required", result.error());
    assertEquals("failed to initialize processes option 'field' is required", result.kapacitorError());
  }
}
