package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Point;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drives the UDF through a fake Kapacitor that speaks the real protocol: no Kapacitor needed. */
class ThresholdTest {
  @RegisterExtension
  static final FakeKapacitorExtension kapacitor = FakeKapacitorExtension.forUdf(Threshold::new);

  @Test
  void forwardsOnlyPointsAboveTheDefaultThreshold(FakeKapacitor k) {
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
  void refusesTaskWithoutField(FakeKapacitor k) {
    assertEquals("option 'field' is required", k.tryInit(Map.of()).error());
  }
}
