package io.pointdata.udf.examples;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Inputs for rfc tests: the bundled sample messages, the training rows as messages, and batches.
 */
final class RfcInputs {
  private RfcInputs() {}

  /** The JSON of {@code samples/dataN.json}. */
  static String sample(int n) throws IOException {
    try (InputStream in =
        RandomForestClassifier.class.getResourceAsStream("samples/data" + n + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Row {@code i} of the bundled training CSV as a log message of asset {@code assetId}. */
  static String trainingRow(int i, String assetId) throws IOException {
    return ForestTest.bundled().logMessage(i, assetId);
  }

  /** A {@code ts_data} point of a window: time, tags and fields. */
  static Point point(long time, String value) {
    return Point.builder()
        .time(time)
        .tag("host", "ia_telegraf")
        .tag("topic", "test/rfc_data")
        .field("ts", time / 1e9)
        .field("value", value)
        .build();
  }

  /** A window of {@code ts_data}. */
  static Batch batch(List<Point> points) {
    return Batch.named("ts_data").points(points).build();
  }
}
