package io.pointdata.udf.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver talks to: the echo (the transport's limit), a pass-through UDF, or the example
 * temperature classifier; over a pipe to a process or over a Unix socket.
 */
record Target(String udf, String transport) {
  static final List<String> UDFS = List.of("echo", "passthrough", "threshold");

  Target {
    if (!UDFS.contains(udf))
      throw new IllegalArgumentException("unknown UDF '" + udf + "'; use one of " + UDFS);
    if (!transport.equals("pipe") && !transport.equals("socket")) {
      throw new IllegalArgumentException(
          "unknown transport '" + transport + "'; use pipe or socket");
    }
  }

  boolean isEcho() {
    return udf.equals("echo");
  }

  boolean isSocket() {
    return transport.equals("socket");
  }

  /** The share of input points that come back. */
  double forwardedFraction() {
    return udf.equals("threshold") ? 0.5 : 1.0;
  }

  /** True if this point comes back from this target: the classifier forwards t < 20 or t > 25. */
  boolean forwards(double temperature) {
    return !udf.equals("threshold") || temperature < 20.0 || temperature > 25.0;
  }

  AgentProcess spawn(List<String> jvmFlags, Path socket, Path log) throws IOException {
    List<String> args = new ArrayList<>();
    if (!isEcho()) args.add(udf);
    if (isSocket()) {
      args.add("--socket");
      args.add(socket.toString());
    }
    String main = isEcho() ? EchoMain.class.getName() : AgentMain.class.getName();
    return AgentProcess.start(jvmFlags, main, args, log);
  }

  @Override
  public String toString() {
    return transport + " " + udf;
  }
}
