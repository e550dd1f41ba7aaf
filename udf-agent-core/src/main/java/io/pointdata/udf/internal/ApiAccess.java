package io.pointdata.udf.internal;

import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * What {@code io.pointdata.udf.protocol} offers from the API package's non-public side: the API
 * types keep their protocol form to themselves, and the protocol package, for those who want it,
 * reaches it through here. The API package registers the one instance when its class {@code
 * ProtocolAccess} is initialized (the pattern of the JDK's SharedSecrets).
 */
public abstract class ApiAccess {
  private static final String IMPLEMENTATION = "io.pointdata.udf.ProtocolAccess";
  private static volatile ApiAccess instance;

  protected ApiAccess() {}

  /** Called once, by the implementation's static initializer. */
  public static void register(ApiAccess access) {
    instance = access;
  }

  /** The API package's implementation, initializing it on first use. */
  public static ApiAccess get() {
    ApiAccess access = instance;
    if (access != null) return access;
    try {
      Class.forName(IMPLEMENTATION, true, ApiAccess.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(IMPLEMENTATION + " is missing from the core's jar", e);
    }
    return instance;
  }

  /** Wraps a protocol point without copying it. */
  public abstract Point point(UdfProto.Point proto);

  /** The protocol point a point wraps. */
  public abstract UdfProto.Point proto(Point point);

  /** The Info response a spec declares. */
  public abstract UdfProto.InfoResponse info(UdfSpec spec);

  /** A UDF as the protocol-level handler the agent runs. */
  public abstract UdfHandler handler(Udf udf);

  /** Runs handlers as {@code UdfAgent.main} runs UDFs. */
  public abstract void main(String[] args, Supplier<? extends UdfHandler> handlers)
      throws IOException, InterruptedException;

  /** Serves one handler over a pair of streams, as {@code UdfAgent.serve} serves a UDF. */
  public abstract boolean serve(InputStream in, OutputStream out, UdfHandler handler);
}
