package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfServer;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** One of our UDFs served on a Unix socket in a temp dir, and Kapacitor's side connected to it. */
final class Connected implements AutoCloseable {
  private final UdfServer server;
  final KapacitorDriver kapacitor;

  private Connected(UdfServer server, KapacitorDriver kapacitor) {
    this.server = server;
    this.kapacitor = kapacitor;
  }

  static Connected to(Supplier<? extends Udf> udf, Path dir) throws Exception {
    UdfServer server = UdfServer.builder(dir.resolve("udf.sock")).udf(udf).build().start();
    return new Connected(server, KapacitorDriver.connect("test", server.path()));
  }

  /** Runs Info and Init, as Kapacitor does at task start. */
  UdfProto.InitResponse init(Map<String, ?> options) throws Exception {
    kapacitor.info();
    return kapacitor.init(options);
  }

  /** Sends stream points and returns the points sent back. */
  List<Point> send(Point... points) throws Exception {
    List<Request> requests = Arrays.stream(points).map(p -> Request.newBuilder().setPoint(p.toProto()).build()).toList();
    return pointsOf(kapacitor.exchange(requests));
  }

  static List<Point> pointsOf(List<Response> responses) {
    responses.forEach(r -> assertTrue(r.hasPoint(), () -> "expected a point, got " + r));
    return responses.stream().map(r -> Point.of(r.getPoint())).toList();
  }

  @Override
  public void close() throws Exception {
    try {
      kapacitor.close();
    } finally {
      server.close();
    }
  }
}
