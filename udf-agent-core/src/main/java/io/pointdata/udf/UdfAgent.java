package io.pointdata.udf;

import io.pointdata.udf.internal.Connection;
import io.pointdata.udf.internal.MemoryLimits;
import io.pointdata.udf.internal.ProcessMetrics;
import io.pointdata.udf.internal.Session;
import io.pointdata.udf.internal.SessionSettings;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a UDF for Kapacitor: the one entry point of a UDF's {@code main}.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *   UdfAgent.main(args, Threshold::new);   // process UDF, or socket UDF with --socket PATH
 * }
 * }</pre>
 *
 * <p>In process mode the protocol runs over stdin/stdout; {@code System.out} is redirected to
 * stderr first, so a stray {@code println} cannot corrupt the protocol (Kapacitor logs each stderr
 * line). At end of input, once every response is written, the process exits with status 0 as
 * Kapacitor expects; a session that failed (a malformed frame, a handler's exception) exits with
 * status 1, so that neither Kapacitor nor a supervisor mistakes it for a clean end.
 *
 * <p>In socket mode SIGTERM or SIGINT stops accepting, lets open sessions finish within the
 * shutdown timeout and removes the socket file; the process then exits with status 0 if every
 * session ended by itself, 1 if some had to be closed.
 *
 * <p>An operator tunes a UDF without its code through JVM properties in kapacitor.conf's {@code
 * args}, read in both modes: {@code -Dudf.handlerDeadline=30s}, {@code -Dudf.readWindow=2ms},
 * {@code -Dudf.maxBatchPoints=N}, {@code -Dudf.maxBatchBytes=8m}, and for a socket UDF {@code
 * -Dudf.maxSessions=N}. A value that cannot be read stops the UDF with the property's name.
 */
public final class UdfAgent {
  private static final AtomicInteger sessionIds = new AtomicInteger();

  private UdfAgent() {}

  /**
   * Runs the UDF as Kapacitor's kapacitor.conf asks: {@code --socket PATH} serves a Unix socket
   * until SIGTERM or SIGINT; no arguments serves stdin/stdout until end of input. With a socket,
   * {@code --metrics-port PORT} serves Prometheus metrics on {@code 127.0.0.1:PORT/metrics} ({@code
   * --metrics-host HOST} to listen elsewhere) and {@code --jmx} registers them with JMX.
   *
   * @throws IllegalArgumentException on arguments it does not know
   */
  public static void main(String[] args, Supplier<? extends Udf> udf)
      throws IOException, InterruptedException {
    run(args, adapt(udf));
  }

  /** As {@link #main}, for a protocol-level handler. */
  static void run(String[] args, Supplier<? extends UdfHandler> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(handler, "handler == null");
    if (args.length == 0) {
      if (!runStdio(handler)) System.exit(1);
    } else {
      UdfServer.Builder builder = socketServer(args).handler(handler);
      Duration deadline = AgentProperties.handlerDeadline();
      if (deadline != null) builder.handlerDeadline(deadline);
      Duration window = AgentProperties.readWindow();
      if (window != null) builder.readWindow(window);
      Integer maxSessions = AgentProperties.maxSessions();
      if (maxSessions != null) builder.maxSessions(maxSessions);
      Integer maxBatchPoints = AgentProperties.maxBatchPoints();
      if (maxBatchPoints != null) builder.maxBatchPoints(maxBatchPoints);
      Long maxBatchBytes = AgentProperties.maxBatchBytes();
      if (maxBatchBytes != null) builder.maxBatchBytes(maxBatchBytes);
      // A socket no one accepts on must not outlive its process: exit for the supervisor to see.
      UdfServer server = builder.onAcceptFailure(() -> System.exit(1)).build();
      server.start();
      CompletableFuture<Boolean> drained = new CompletableFuture<>();
      if (StopSignals.onStop(() -> drained.complete(server.drain()))) {
        System.exit(drained.join() ? 0 : 1);
      } else {
        server.closeOnShutdown(); // the JVM's own shutdown then: status 143 on SIGTERM
        server.awaitTermination();
      }
    }
  }

  private static final String USAGE =
      "usage: [--socket PATH] [--metrics-port PORT [--metrics-host HOST]] [--jmx]"
          + " (no arguments: process UDF on stdin/stdout; the others need --socket)";

  /**
   * A socket UDF's builder from {@code --socket PATH [--metrics-port PORT [--metrics-host HOST]]
   * [--jmx]}.
   */
  static UdfServer.Builder socketServer(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      boolean takesValue =
          flag.equals("--socket") || flag.equals("--metrics-port") || flag.equals("--metrics-host");
      if (!takesValue && !flag.equals("--jmx")
          || flags.containsKey(flag)
          || takesValue && i + 1 == args.length) {
        throw new IllegalArgumentException(USAGE + ", got " + String.join(" ", args));
      }
      flags.put(flag, takesValue ? args[++i] : "");
    }
    if (!flags.containsKey("--socket"))
      throw new IllegalArgumentException(USAGE + ", got " + String.join(" ", args));
    UdfServer.Builder builder = UdfServer.builder(Path.of(flags.get("--socket")));
    if (flags.containsKey("--metrics-host") && !flags.containsKey("--metrics-port")) {
      throw new IllegalArgumentException("--metrics-host needs --metrics-port");
    }
    if (flags.containsKey("--metrics-port")) {
      String port = flags.get("--metrics-port");
      try {
        builder.metricsPort(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--metrics-port: not a port number: " + port);
      }
    }
    if (flags.containsKey("--metrics-host")) builder.metricsHost(flags.get("--metrics-host"));
    if (flags.containsKey("--jmx")) builder.jmx(true);
    return builder;
  }

  /**
   * Serves one session over this process's stdin/stdout until end of input; returns true if it
   * ended cleanly. The handler is created after {@code System.out} is redirected to stderr, so
   * nothing it prints can reach the protocol.
   */
  private static boolean runStdio(Supplier<? extends UdfHandler> handlers) {
    InputStream in = new FileInputStream(FileDescriptor.in);
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    // stdout carries the protocol: keep everyone else's output off it, from before the UDF exists.
    PrintStream previous = System.out;
    System.setOut(System.err);
    try {
      UdfHandler handler = Objects.requireNonNull(handlers.get(), "the UDF factory returned null");
      SessionSettings settings =
          SessionSettings.DEFAULTS.withHandlerDeadline(AgentProperties.handlerDeadline());
      Duration window = AgentProperties.readWindow();
      if (window != null) settings = settings.withReadWindow(window);
      MemoryLimits defaults = MemoryLimits.defaults();
      Integer maxBatchPoints = AgentProperties.maxBatchPoints();
      Long maxBatchBytes = AgentProperties.maxBatchBytes();
      MemoryLimits memory =
          new MemoryLimits(
              defaults.inFlight(),
              maxBatchPoints != null ? maxBatchPoints : defaults.maxBatchPoints(),
              maxBatchBytes != null ? maxBatchBytes : defaults.maxBatchBytes());
      Session.Result result;
      try (ProcessMetrics metrics = ProcessMetrics.fromSystemProperties(udfName(handler))) {
        if (handler instanceof UdfAdapter adapter) adapter.onDrop(metrics.session()::dropped);
        Session session =
            new Session("stdio", Connection.of(in, out), handler, settings, memory)
                .metrics(metrics.session())
                // Kapacitor waits for a process UDF to exit: one stuck in a handler must not
                // linger.
                .onHandlerStuck(() -> System.exit(1));
        result = session.run();
      }
      if (!result.clean()) System.err.println("UDF session ended: " + result.error());
      return result.clean();
    } finally {
      System.setOut(previous);
    }
  }

  /**
   * A UDF's name in its metrics, unless configured: its class's simple name ("udf" if it has none).
   */
  static String udfName(UdfHandler handler) {
    String name =
        handler instanceof UdfAdapter adapter
            ? adapter.udfName()
            : handler.getClass().getSimpleName();
    return name.isEmpty() ? "udf" : name;
  }

  /** The property that sets a UDF's handler deadline, e.g. {@code -Dudf.handlerDeadline=30s}. */
  public static final String HANDLER_DEADLINE_PROPERTY = "udf.handlerDeadline";

  /**
   * The property that sets the read window of a UDF run by {@link #main} (process or socket), e.g.
   * {@code -Dudf.readWindow=1ms}, or {@code 0} for none; see {@link UdfServer.Builder#readWindow}.
   */
  public static final String READ_WINDOW_PROPERTY = "udf.readWindow";

  /**
   * The property that sets a socket UDF's most sessions at once, e.g. {@code
   * -Dudf.maxSessions=2048}.
   */
  public static final String MAX_SESSIONS_PROPERTY = "udf.maxSessions";

  /**
   * The property that sets the most points in one batch, e.g. {@code -Dudf.maxBatchPoints=5000000};
   * see {@link UdfServer.Builder#maxBatchPoints}.
   */
  public static final String MAX_BATCH_POINTS_PROPERTY = MemoryLimits.MAX_BATCH_POINTS_PROPERTY;

  /**
   * The property that sets the most bytes of points in one batch, e.g. {@code
   * -Dudf.maxBatchBytes=8m}; see {@link UdfServer.Builder#maxBatchBytes}.
   */
  public static final String MAX_BATCH_BYTES_PROPERTY = MemoryLimits.MAX_BATCH_BYTES_PROPERTY;

  /**
   * Serves one session over the given streams, on the calling thread, until end of input or an
   * error; closes both streams. For tests and embedding, e.g. over pipes.
   *
   * @return true if the session ended cleanly at end of input
   */
  public static boolean serve(InputStream in, OutputStream out, Udf udf) {
    return serve(in, out, new UdfAdapter(Objects.requireNonNull(udf, "udf == null")));
  }

  /** As {@link #serve(InputStream, OutputStream, Udf)}, for a protocol-level handler. */
  static boolean serve(InputStream in, OutputStream out, UdfHandler handler) {
    Objects.requireNonNull(in, "in == null");
    Objects.requireNonNull(out, "out == null");
    Objects.requireNonNull(handler, "handler == null");
    String name = "session-" + sessionIds.incrementAndGet();
    return new Session(name, Connection.of(in, out), handler, SessionSettings.DEFAULTS)
        .run()
        .clean();
  }

  static Supplier<UdfHandler> adapt(Supplier<? extends Udf> udf) {
    Objects.requireNonNull(udf, "udf == null");
    return () -> new UdfAdapter(Objects.requireNonNull(udf.get(), "udf supplier returned null"));
  }
}
