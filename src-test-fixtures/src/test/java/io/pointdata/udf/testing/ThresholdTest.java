package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pointdata.udf.Point;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test a UDF author writes: the style guide's target, and the README's example. */
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
  void takesOptionsAsATickscriptWrites(FakeKapacitor k) {
    k.init(".field('usage').threshold(50.0)");
    k.send(Point.named("cpu").field("usage", 60.0).build());
    assertEquals(60.0, k.takePoint().doubleField("usage"));
  }

  @Test
  void kapacitorRefusesAnIntWhereADoubleIsDeclared(FakeKapacitor k) {
    assertEquals(
        "unexpected arg to threshold, got INT expected DOUBLE",
        k.tryInit(".field('usage').threshold(50)").error());
  }

  @Test
  void rejectsMissingField(FakeKapacitor k) {
    InitResult result = k.tryInit(Map.of());
    assertFalse(result.success(), result.toString());
    assertEquals("option 'field' is required", result.error());
    assertEquals(
        "failed to initialize processes option 'field' is required", result.kapacitorError());
  }
}
