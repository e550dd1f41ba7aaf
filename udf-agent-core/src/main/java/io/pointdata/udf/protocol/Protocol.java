package io.pointdata.udf.protocol;

import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;
import io.pointdata.udf.internal.ApiAccess;
import io.pointdata.udf.proto.UdfProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The protocol-level agent: runs a {@link UdfHandler} as {@code UdfAgent} runs a {@link Udf}, and
 * converts between the typed API and the generated protocol types.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *   Protocol.main(args, MyHandler::new);   // process UDF, or socket UDF with --socket PATH
 * }
 * }</pre>
 *
 * <p>A socket server of handlers is {@code UdfServer.builder(path).handler(MyHandler::new)}.
 */
public final class Protocol {
  private Protocol() {}

  /**
   * Runs the handler as Kapacitor's kapacitor.conf asks, with the arguments and behaviour of {@code
   * UdfAgent.main}: no arguments serves stdin/stdout, {@code --socket PATH} a Unix socket.
   *
   * @throws IllegalArgumentException on arguments it does not know
   */
  public static void main(String[] args, Supplier<? extends UdfHandler> handlers)
      throws IOException, InterruptedException {
    ApiAccess.get().main(args, handlers);
  }

  /**
   * Serves one session over the given streams, on the calling thread, until end of input or an
   * error; closes both streams.
   *
   * @return true if the session ended cleanly at end of input
   */
  public static boolean serve(InputStream in, OutputStream out, UdfHandler handler) {
    return ApiAccess.get().serve(in, out, handler);
  }

  /**
   * The handler the agent runs for a {@link Udf}: it checks options, assembles batches and checks
   * what the UDF emits. For a handler that wraps a UDF, or to drive one request by request.
   */
  public static UdfHandler handler(Udf udf) {
    return ApiAccess.get().handler(udf);
  }

  /** A protocol point as a {@link Point}, without copying it. */
  public static Point point(UdfProto.Point proto) {
    return ApiAccess.get().point(proto);
  }

  /** The protocol point a {@link Point} stands for (the same object it wraps). */
  public static UdfProto.Point toProto(Point point) {
    return ApiAccess.get().proto(point);
  }

  /** The Info response a spec declares, as the agent sends it. */
  public static UdfProto.InfoResponse info(UdfSpec spec) {
    return ApiAccess.get().info(spec);
  }
}
