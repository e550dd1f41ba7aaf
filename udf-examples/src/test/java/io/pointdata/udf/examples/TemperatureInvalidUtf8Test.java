package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Point;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import io.pointdata.udf.testing.Recording;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sensor's bad byte does not end the task: Kapacitor accepts line protocol whose tag value or
 * string field is not valid UTF-8 and forwards the bytes; the temperature UDF passes such a point
 * on byte for byte, as Kapacitor's Go agent does, and the points after it still flow.
 */
class TemperatureInvalidUtf8Test {
  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(ThresholdClassifier::temperature);

  /**
   * The golden point: tag host = "sensor-" 0xff "1", string field note = "caf" 0xe9, temperature
   * 31.5.
   */
  static byte[] goldenPoint() throws IOException {
    try (InputStream in =
        TemperatureInvalidUtf8Test.class.getResourceAsStream(
            "/golden/invalid-utf8/req_point_invalid_utf8.hex")) {
      byte[] frame =
          HexFormat.of()
              .parseHex(
                  new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
      // Frame: length (1 byte here), then Request field 17 (8a 01), its length (1 byte), the point.
      return Arrays.copyOfRange(frame, 4, frame.length);
    }
  }

  @Test
  void aPointWithInvalidUtf8InATagAndAStringFieldPassesThroughUnchangedAndLaterPointsFlow(
      FakeKapacitor k) throws IOException {
    k.init(Map.of());
    Point before = Point.named("point_data").tag("host", "h").field("temperature", 30.0).build();
    Point after = Point.named("point_data").tag("host", "h").field("temperature", 10.0).build();
    byte[] bad = goldenPoint();
    k.send(before).sendEncoded(bad).send(after);

    List<Point> out = k.takePoints(3);
    assertEquals(30.0, out.get(0).doubleField("temperature"));
    assertEquals("sensor-\uFFFD1", out.get(1).tag("host"), "as Kapacitor reads it");
    assertEquals(10.0, out.get(2).doubleField("temperature"));
    k.assertNoMorePoints();

    // On the wire: the bytes that went in came back out, the bad ones included.
    List<byte[]> sent = pointFrames(k.recording(), Recording.Direction.TO_UDF);
    List<byte[]> received = pointFrames(k.recording(), Recording.Direction.FROM_UDF);
    assertEquals(3, received.size());
    assertArrayEquals(sent.get(1), received.get(1));
    assertArrayEquals(bad, Arrays.copyOfRange(received.get(1), 3, received.get(1).length));
  }

  private static List<byte[]> pointFrames(Recording recording, Recording.Direction direction) {
    return recording.frames().stream()
        .filter(f -> f.direction() == direction)
        .map(f -> f.body().toByteArray())
        .filter(body -> body.length > 2 && body[0] == (byte) 0x8a && body[1] == 0x01)
        .toList();
  }
}
