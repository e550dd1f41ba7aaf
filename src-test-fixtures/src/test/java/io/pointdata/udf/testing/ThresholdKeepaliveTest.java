package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.proto.UdfProto.Request;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's keepalive example. */
class ThresholdKeepaliveTest {
  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(Threshold::new)
          .with(b -> b.timeout(Duration.ofSeconds(10)).manualClock());

  @Test
  void answersKeepalives(FakeKapacitor k) {
    k.init(".field('usage')");
    k.clock().advance(Duration.ofMinutes(1));
    assertEquals(Optional.empty(), k.session().failure());
    assertEquals(12, k.recording().requests().stream().filter(Request::hasKeepalive).count());
  }
}
