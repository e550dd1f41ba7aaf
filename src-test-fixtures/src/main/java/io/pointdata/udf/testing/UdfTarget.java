package io.pointdata.udf.testing;

import io.pointdata.udf.Udf;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the UDF under test runs, and how the simulator reaches it: in this JVM, as a process, or
 * behind a Unix socket.
 *
 * <p>As Kapacitor does, the simulator opens a new connection for every session: one for the
 * start-up Info exchange and one per task. In the JVM that means a new UDF instance from the
 * supplier; for a process, a new process; for a socket, a new connection to the same server.
 */
public abstract class UdfTarget {
  UdfTarget() {}

  /** A UDF run by our agent in this JVM, over pipes; one new instance per session. */
  public static UdfTarget inJvm(Supplier<? extends Udf> udf) {
    Objects.requireNonNull(udf, "udf == null");
    return inJvmHandler(
        () -> Protocol.handler(Objects.requireNonNull(udf.get(), "udf supplier returned null")));
  }

  /**
   * A protocol-level handler run by our agent in this JVM, over pipes; one new instance per
   * session.
   */
  public static UdfTarget inJvmHandler(Supplier<? extends UdfHandler> handler) {
    Objects.requireNonNull(handler, "handler == null");
    return new UdfTarget() {
      @Override
      Link open(String name, Duration firstRetry, Duration retryBudget) {
        return InJvmLink.agent(
            Objects.requireNonNull(handler.get(), "handler supplier returned null"), name);
      }

      @Override
      public String toString() {
        return "in-JVM UDF";
      }
    };
  }

  /**
   * A UDF that serves each session on a pair of streams in this JVM, without our agent: for peers
   * that write raw frames.
   */
  static UdfTarget inJvmPeer(Supplier<InJvmLink.Peer> peer, String description) {
    return new UdfTarget() {
      @Override
      Link open(String name, Duration firstRetry, Duration retryBudget) {
        return new InJvmLink(peer.get(), name);
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }

  /** A process UDF, as kapacitor.conf's {@code prog} and {@code args}. */
  public static UdfTarget process(List<String> command) {
    return process(command, Map.of());
  }

  /**
   * A process UDF, as kapacitor.conf's {@code prog}, {@code args} and {@code env}: the variables
   * are added to this JVM's environment.
   *
   * @throws IllegalArgumentException if the command is empty
   */
  public static UdfTarget process(List<String> command, Map<String, String> env) {
    List<String> cmd = List.copyOf(Objects.requireNonNull(command, "command == null"));
    Map<String, String> vars = Map.copyOf(Objects.requireNonNull(env, "env == null"));
    if (cmd.isEmpty()) throw new IllegalArgumentException("command is empty");
    return new UdfTarget() {
      @Override
      Link open(String name, Duration firstRetry, Duration retryBudget) throws IOException {
        return new ProcessLink(cmd, vars, name);
      }

      @Override
      public String toString() {
        return "process " + String.join(" ", cmd);
      }
    };
  }

  /** A socket UDF listening on the path, as kapacitor.conf's {@code socket}. */
  public static UdfTarget socket(Path path) {
    Objects.requireNonNull(path, "path == null");
    return new UdfTarget() {
      @Override
      Link open(String name, Duration firstRetry, Duration retryBudget) throws IOException {
        return SocketLink.connect(path, firstRetry, retryBudget);
      }

      @Override
      public String toString() {
        return "socket " + path;
      }
    };
  }

  /** Opens one new connection to the UDF. */
  abstract Link open(String name, Duration firstRetry, Duration retryBudget) throws IOException;
}
