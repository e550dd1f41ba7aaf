package io.pointdata.udf;

import io.pointdata.udf.internal.ApiAccess;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Supplier;

/** The API package's side of {@link ApiAccess}. */
final class ProtocolAccess extends ApiAccess {
  static {
    ApiAccess.register(new ProtocolAccess());
  }

  private ProtocolAccess() {}

  @Override
  public Point point(UdfProto.Point proto) {
    return Point.wrap(Objects.requireNonNull(proto, "proto == null"));
  }

  @Override
  public UdfProto.Point proto(Point point) {
    return Objects.requireNonNull(point, "point == null").proto();
  }

  @Override
  public UdfProto.InfoResponse info(UdfSpec spec) {
    return Objects.requireNonNull(spec, "spec == null").info();
  }

  @Override
  public UdfHandler handler(Udf udf) {
    return new UdfAdapter(Objects.requireNonNull(udf, "udf == null"));
  }

  @Override
  public void main(String[] args, Supplier<? extends UdfHandler> handlers)
      throws IOException, InterruptedException {
    UdfAgent.run(args, handlers);
  }

  @Override
  public boolean serve(InputStream in, OutputStream out, UdfHandler handler) {
    return UdfAgent.serve(in, out, handler);
  }
}
