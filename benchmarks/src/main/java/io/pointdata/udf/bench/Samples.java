package io.pointdata.udf.bench;

import io.pointdata.udf.proto.UdfProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** The points the benchmarks send, as Kapacitor sends them. */
public final class Samples {
  /** The EII simulated sensor point's measurement. */
  static final String MEASUREMENT = "point_data";

  private Samples() {}

  /** A typical EII point: tags host and topic, fields ts, temperature and humidity. */
  public static UdfProto.Point eiiPoint(long time, double temperature) {
    return UdfProto.Point.newBuilder()
        .setTime(time)
        .setName(MEASUREMENT)
        .setDatabase("datain")
        .setRetentionPolicy("autogen")
        .putTags("host", "ia_telegraf")
        .putTags("topic", "temperature/simulated/0")
        .putFieldsDouble("ts", time / 1e9)
        .putFieldsDouble("temperature", temperature)
        .putFieldsDouble("humidity", 40.5)
        .build();
  }

  /** A wide point: the same tags and 40 double fields, like a row of the random-forest features. */
  public static UdfProto.Point widePoint(long time) {
    UdfProto.Point.Builder point = eiiPoint(time, 22.0).toBuilder().clearFieldsDouble();
    for (int i = 0; i < 40; i++) point.putFieldsDouble("feature_" + i, i * 1.25 + time % 7);
    return point.build();
  }

  public static UdfProto.Request request(UdfProto.Point point) {
    return UdfProto.Request.newBuilder().setPoint(point).build();
  }

  public static UdfProto.Response response(UdfProto.Point point) {
    return UdfProto.Response.newBuilder().setPoint(point).build();
  }

  /** The length-prefixed frames of the messages, back to back, as on the wire. */
  public static byte[] frames(List<? extends com.google.protobuf.MessageLite> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (com.google.protobuf.MessageLite message : messages) message.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new AssertionError("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
