package io.pointdata.udf.examples;

import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Inputs for rfc tests: the bundled sample messages, the training rows as messages, and batches. */
final class RfcInputs {
  private RfcInputs() {}

  /** The JSON of {@code samples/dataN.json}. */
  static String sample(int n) throws IOException {
    try (InputStream in = RandomForestClassifier.class.getResourceAsStream("samples/data" + n + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Row {@code i} of the bundled training CSV as a log message of asset {@code assetId}. */
  static String trainingRow(int i, String assetId) throws IOException {
    return SimulatedData.rowMessage(ForestTest.bundled(), i, assetId);
  }

  /** A {@code ts_data} batch point as Kapacitor sends it: time, tags and fields only. */
  static Point point(long time, String value) {
    return Point.builder().time(time).tag("host", "ia_telegraf").tag("topic", "test/rfc_data")
        .field("ts", time / 1e9).field("value", value).build();
  }

  /** BeginBatch, the points, EndBatch, as Kapacitor sends a window of {@code ts_data}. */
  static List<Request> batch(List<Point> points) {
    List<Request> requests = new ArrayList<>();
    requests.add(Request.newBuilder().setBegin(
        UdfProto.BeginBatch.newBuilder().setName("ts_data").setSize(points.size())).build());
    points.forEach(p -> requests.add(Request.newBuilder().setPoint(p.toProto()).build()));
    long tmax = points.isEmpty() ? 0 : points.get(points.size() - 1).time();
    requests.add(Request.newBuilder().setEnd(UdfProto.EndBatch.newBuilder().setName("ts_data").setTmax(tmax)).build());
    return requests;
  }
}
