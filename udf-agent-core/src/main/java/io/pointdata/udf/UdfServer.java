package io.pointdata.udf;

import io.pointdata.udf.internal.InFlightBudget;
import io.pointdata.udf.internal.MemoryLimits;
import io.pointdata.udf.internal.PeerFilter;
import io.pointdata.udf.internal.SessionSettings;
import io.pointdata.udf.internal.SocketFiles;
import io.pointdata.udf.internal.SocketServer;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A socket UDF: serves Kapacitor's connections on a Unix socket file, each its own session with its
 * own UDF instance.
 *
 * <pre>{@code
 * UdfServer server = UdfServer.builder(Path.of("/run/udf/threshold.sock")).udf(Threshold::new).build();
 * server.start();
 * server.awaitTermination();
 * }</pre>
 *
 * <p>Kapacitor connects once at its start-up (Info only) and once per task node. Sessions run
 * concurrently and fail alone: a handler exception or a malformed frame ends its own connection and
 * no other. At start a stale socket file left by a dead server is removed; a path that is not a
 * socket, or a socket another server still listens on, is refused.
 *
 * <p>The lifecycle follows gRPC's server: {@link #shutdown()} stops accepting and removes the
 * socket file at once, open sessions go on; {@link #shutdownNow()} also ends them; {@link
 * #awaitTermination(Duration)} returns when the last one has ended. {@link #close()} is shutdown, a
 * wait of up to the shutdown timeout, then shutdownNow. A server runs once: {@link #start()} after
 * a shutdown throws.
 *
 * <p>Memory is planned, not left to luck: every session reads through small buffers, frames read
 * but not yet handled share one in-flight budget (30 % of the heap by default), a batch has a limit
 * in points and bytes, and the default {@code maxSessions} is what the recommended heap ({@code
 * -Xmx64m}) holds. A connection for which no thread can be started is refused with an ErrorResponse
 * saying so, and the server goes on. An error the accepting thread cannot survive is logged and
 * shuts the server down, removing its socket file, so that nobody connects to a socket no one
 * accepts on; {@link UdfAgent} then ends the process with status 1, for a supervisor to restart it.
 */
public final class UdfServer implements AutoCloseable {
  /** The default {@link Builder#maxSessions}; RELIABILITY.md shows {@code -Xmx64m} holding it. */
  static final int DEFAULT_MAX_SESSIONS = 1024;

  private final SocketServer server;

  private UdfServer(Builder builder) {
    long budget = builder.inFlightBytes > 0 ? builder.inFlightBytes : InFlightBudget.defaultBytes();
    this.server =
        new SocketServer(
            new SocketServer.Config(
                builder.path,
                builder.handlers,
                builder.permissions,
                SessionSettings.DEFAULTS
                    .withMaxFrameSize(builder.maxFrameSize)
                    .withHandlerDeadline(builder.handlerDeadline)
                    .withReadWindow(builder.readWindow),
                builder.shutdownTimeout,
                new PeerFilter(builder.allowedUids, builder.allowedGids),
                builder.maxSessions,
                UdfAgent.MAX_SESSIONS_PROPERTY,
                builder.name,
                builder.metricsPort,
                builder.metricsHost,
                builder.jmx,
                builder.backlog,
                new MemoryLimits(
                    new InFlightBudget(budget),
                    builder.maxBatchPoints,
                    builder.maxBatchBytes > 0
                        ? builder.maxBatchBytes
                        : MemoryLimits.defaultMaxBatchBytes()),
                builder.onAcceptFailure,
                builder.sessionThreads));
  }

  /** A builder for a server on the given socket path. */
  public static Builder builder(Path socketPath) {
    return new Builder(Objects.requireNonNull(socketPath, "socketPath == null"));
  }

  /**
   * Binds the socket and starts accepting connections.
   *
   * @throws IllegalStateException if already started, or shut down (a server is not restarted:
   *     build a new one)
   * @throws IOException if the socket cannot be created, e.g. the path exists and is not a stale
   *     socket
   */
  public UdfServer start() throws IOException {
    server.start();
    return this;
  }

  /** The socket file's path. */
  public Path path() {
    return server.path();
  }

  /** Sessions open now. */
  public int activeSessions() {
    return server.activeSessions();
  }

  /** What the sessions have done so far: counts since start, summed over every session. */
  public UdfMetrics metrics() {
    return server.metrics();
  }

  /**
   * Where the Prometheus endpoint listens, with the port it bound; empty if it is off or not
   * started.
   */
  public Optional<InetSocketAddress> metricsAddress() {
    return server.metricsAddress();
  }

  /** Closes this server when the JVM is asked to stop (SIGTERM, SIGINT). */
  public void closeOnShutdown() {
    server.closeOnShutdown();
  }

  /** Whether {@link #shutdown()} (or {@link #close()}) was called. */
  public boolean isShutdown() {
    return server.isShutdown();
  }

  /** Whether the server is shut down and every session has ended. */
  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Blocks until the server is shut down and its sessions have ended. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Blocks until the server is shut down and its sessions have ended, or the timeout passes.
   *
   * @return whether the server terminated
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return server.awaitTermination(Objects.requireNonNull(timeout, "timeout == null"));
  }

  /**
   * Stops accepting and removes the socket file; open sessions go on until they end. Returns at
   * once; idempotent. Use {@link #awaitTermination(Duration)} to wait for the sessions.
   */
  public void shutdown() {
    server.shutdown();
  }

  /**
   * {@link #shutdown()}, then ends every open session with an {@code ErrorResponse} saying the
   * server is shutting down. Returns once they are told; {@link #awaitTermination} waits for the
   * rest.
   */
  public void shutdownNow() {
    server.shutdownNow();
  }

  /**
   * Shuts down, waits up to the shutdown timeout for open sessions to end, then ends the rest and
   * waits for them. A concurrent or later call also returns only once the server has terminated.
   */
  @Override
  public void close() {
    server.drain();
  }

  /**
   * As {@link #close()}; returns true if every open session ended by itself within the shutdown
   * timeout (false if some had to be closed, or if the server was already shut down).
   */
  boolean drain() {
    return server.drain();
  }

  /**
   * Builds a {@link UdfServer}; each setter checks its argument at once, and each is called at most
   * once: a second call fails at that call, naming the value already set.
   */
  public static final class Builder {
    private final Path path;
    private Supplier<? extends UdfHandler> handlers;
    private Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-rw----");
    private int maxFrameSize = SessionSettings.DEFAULT_MAX_FRAME_SIZE;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Set<Long> allowedUids = Set.of();
    private Set<Long> allowedGids = Set.of();
    private Duration handlerDeadline;
    private Duration readWindow = SessionSettings.DEFAULT_READ_WINDOW;
    private String name;
    private int metricsPort = -1;
    private String metricsHost = "127.0.0.1";
    private boolean jmx;
    private int maxSessions = DEFAULT_MAX_SESSIONS;
    private int backlog = SocketFiles.defaultBacklog();
    private long inFlightBytes;
    private int maxBatchPoints = MemoryLimits.DEFAULT_MAX_BATCH_POINTS;
    private long maxBatchBytes;
    private Runnable onAcceptFailure = () -> {};
    private ThreadFactory sessionThreads = SocketServer.DAEMON_THREADS;

    /** The settings made so far, by setter name: each is made once. */
    private final Set<String> settingsMade = new HashSet<>();

    private Builder(Path path) {
      this.path = path;
    }

    private void requireNotSet(String setting, Object current) {
      if (settingsMade.contains(setting))
        throw new IllegalStateException(setting + " was already set to " + current);
    }

    private Builder made(String setting) {
      settingsMade.add(setting);
      return this;
    }

    /**
     * The UDF to run, one new instance per connection (for chaining).
     *
     * @throws NullPointerException if the supplier is null
     * @throws IllegalStateException if a UDF or handler was already set
     */
    public Builder udf(Supplier<? extends Udf> udf) {
      requireNoHandlerYet();
      this.handlers = UdfAgent.adapt(udf);
      return this;
    }

    /**
     * A protocol-level handler to run, one new instance per connection (for chaining).
     *
     * @throws NullPointerException if the supplier is null
     * @throws IllegalStateException if a UDF or handler was already set
     */
    public Builder handler(Supplier<? extends UdfHandler> handler) {
      requireNoHandlerYet();
      this.handlers = Objects.requireNonNull(handler, "handler == null");
      return this;
    }

    private void requireNoHandlerYet() {
      if (handlers != null) {
        throw new IllegalStateException(
            "a UDF or handler is already set: a server runs one kind, set it once");
      }
    }

    /**
     * The socket file's permissions; default {@code rw-rw----} (owner and group).
     *
     * @throws NullPointerException if the set is null
     * @throws IllegalArgumentException if they do not let the owner write
     * @throws IllegalStateException if already set
     */
    public Builder permissions(Set<PosixFilePermission> permissions) {
      Objects.requireNonNull(permissions, "permissions == null");
      requireNotSet("permissions", PosixFilePermissions.toString(this.permissions));
      if (!permissions.contains(PosixFilePermission.OWNER_WRITE)) {
        throw new IllegalArgumentException("permissions must let the owner write: " + permissions);
      }
      this.permissions = Set.copyOf(permissions);
      return made("permissions");
    }

    /**
     * The largest frame accepted, in bytes; default 64 MiB.
     *
     * @throws IllegalArgumentException if under 16
     * @throws IllegalStateException if already set
     */
    public Builder maxFrameSize(int bytes) {
      requireNotSet("maxFrameSize", maxFrameSize);
      if (bytes < 16) throw new IllegalArgumentException("maxFrameSize < 16: " + bytes);
      this.maxFrameSize = bytes;
      return made("maxFrameSize");
    }

    /**
     * The most sessions served at once; default 1,024 (each holds two threads and about 20 KiB of
     * heap while idle, which {@code -Xmx64m} holds). A connection beyond it is answered with an
     * ErrorResponse saying so, closed and logged.
     *
     * @throws IllegalArgumentException if under 1
     * @throws IllegalStateException if already set
     */
    public Builder maxSessions(int sessions) {
      requireNotSet("maxSessions", maxSessions);
      if (sessions < 1) throw new IllegalArgumentException("maxSessions < 1: " + sessions);
      this.maxSessions = sessions;
      return made("maxSessions");
    }

    /**
     * How many connections may wait to be accepted; default the kernel's maximum ({@code
     * /proc/sys/net/core/somaxconn}, 4096 where it cannot be read), as Go listens, so that
     * Kapacitor starting many tasks at once is not refused. The kernel caps it at that maximum.
     *
     * @throws IllegalArgumentException if under 1
     * @throws IllegalStateException if already set
     */
    public Builder backlog(int connections) {
      requireNotSet("backlog", backlog);
      if (connections < 1) throw new IllegalArgumentException("backlog < 1: " + connections);
      this.backlog = connections;
      return made("backlog");
    }

    /**
     * The bytes of frames all sessions together may hold read but not yet handled; default 30 % of
     * the heap ({@code -Xmx}), 18.5 MiB of {@code -Xmx64m}. A reader waits for room before reading
     * a frame's body; a frame larger than the whole budget ends its session with an ErrorResponse
     * naming the budget.
     *
     * @throws IllegalArgumentException if under 16
     * @throws IllegalStateException if already set
     */
    public Builder inFlightBytes(long bytes) {
      requireNotSet("inFlightBytes", inFlightBytes);
      if (bytes < 16) throw new IllegalArgumentException("inFlightBytes < 16: " + bytes);
      this.inFlightBytes = bytes;
      return made("inFlightBytes");
    }

    /**
     * The most points in one batch, between BeginBatch and EndBatch; default 1,000,000. Past it the
     * session ends with an ErrorResponse naming the limit: a batch is held whole until its end.
     *
     * @throws IllegalArgumentException if under 1
     * @throws IllegalStateException if already set
     */
    public Builder maxBatchPoints(int points) {
      requireNotSet("maxBatchPoints", maxBatchPoints);
      if (points < 1) throw new IllegalArgumentException("maxBatchPoints < 1: " + points);
      this.maxBatchPoints = points;
      return made("maxBatchPoints");
    }

    /**
     * The most bytes of points (as sent on the wire) in one batch; default 1/64 of the heap (1 MiB
     * of {@code -Xmx64m}). Held parsed until its end, a batch of small points takes about 13 times
     * its wire size, so a batch at the default limit takes a fifth of the heap: with many batch
     * tasks at once, raise {@code -Xmx} or lower this. Past it the session ends with an
     * ErrorResponse naming the limit.
     *
     * @throws IllegalArgumentException if under 1
     * @throws IllegalStateException if already set
     */
    public Builder maxBatchBytes(long bytes) {
      requireNotSet("maxBatchBytes", maxBatchBytes);
      if (bytes < 1) throw new IllegalArgumentException("maxBatchBytes < 1: " + bytes);
      this.maxBatchBytes = bytes;
      return made("maxBatchBytes");
    }

    /**
     * How long {@link #close()} waits for open sessions; default 10 s.
     *
     * @throws NullPointerException if the timeout is null
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      requireNotSet("shutdownTimeout", shutdownTimeout);
      if (timeout.isNegative()) throw new IllegalArgumentException("timeout < 0: " + timeout);
      this.shutdownTimeout = timeout;
      return made("shutdownTimeout");
    }

    /**
     * How long one handler call may run without emitting anything (time blocked writing to a slow
     * Kapacitor does not count); past it the session ends with an ErrorResponse naming the request,
     * and the handler thread is interrupted. Default: no limit, as in Kapacitor (a model fit may
     * legitimately take long; keepalives are answered meanwhile).
     *
     * @throws NullPointerException if the deadline is null
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder handlerDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline == null");
      requireNotSet("handlerDeadline", handlerDeadline);
      if (deadline.isNegative() || deadline.isZero())
        throw new IllegalArgumentException("deadline <= 0: " + deadline);
      this.handlerDeadline = deadline;
      return made("handlerDeadline");
    }

    /**
     * How long a session lets requests accumulate before reading again, when a read found only a
     * few: Kapacitor writes each request on its own, and reading them one at a time costs a wake-up
     * and a write per point. Default 1 ms; zero turns it off. Keepalives are answered within it,
     * and the end of input is seen within a millisecond or two however long it is (BENCHMARKS.md,
     * "Kapacitor's pace").
     *
     * @throws NullPointerException if the window is null
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder readWindow(Duration window) {
      Objects.requireNonNull(window, "window == null");
      requireNotSet("readWindow", readWindow);
      if (window.isNegative()) throw new IllegalArgumentException("window < 0: " + window);
      this.readWindow = window;
      return made("readWindow");
    }

    /**
     * Accepts connections only from processes running as one of these users (or of the groups of
     * {@link #allowedGids}); others are answered with an error, closed and logged. By default the
     * socket file's permissions alone decide who may connect.
     *
     * @throws IllegalArgumentException if an id is negative
     * @throws IllegalStateException if already set
     */
    public Builder allowedUids(long... uids) {
      requireNotSet("allowedUids", new java.util.TreeSet<>(allowedUids));
      this.allowedUids = ids(uids);
      return made("allowedUids");
    }

    /**
     * Accepts connections only from processes whose primary group is one of these (or see {@link
     * #allowedUids}).
     *
     * @throws IllegalArgumentException if an id is negative
     * @throws IllegalStateException if already set
     */
    public Builder allowedGids(long... gids) {
      requireNotSet("allowedGids", new java.util.TreeSet<>(allowedGids));
      this.allowedGids = ids(gids);
      return made("allowedGids");
    }

    private static Set<Long> ids(long[] ids) {
      Set<Long> set = new java.util.HashSet<>();
      for (long id : ids) {
        if (id < 0) throw new IllegalArgumentException("id < 0: " + id);
        set.add(id);
      }
      return Set.copyOf(set);
    }

    /**
     * The UDF's name, the {@code udf} label of its metrics; default: the socket file's name without
     * its extension ({@code temperature} for {@code temperature.sock}).
     *
     * @throws NullPointerException if the name is null
     * @throws IllegalArgumentException if the name is blank
     * @throws IllegalStateException if already set
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name == null");
      requireNotSet("name", this.name);
      if (name.isBlank()) throw new IllegalArgumentException("name is blank");
      this.name = name;
      return made("name");
    }

    /**
     * Serves the metrics as Prometheus text on {@code http://127.0.0.1:PORT/metrics} (0: any free
     * port, see {@link UdfServer#metricsAddress()}); off by default. A port that cannot be bound
     * fails {@link UdfServer#start()}. The endpoint's thread keeps the JVM running until {@link
     * UdfServer#close()}.
     *
     * @throws IllegalArgumentException if the port is not in 0–65535
     * @throws IllegalStateException if already set
     */
    public Builder metricsPort(int port) {
      requireNotSet("metricsPort", metricsPort);
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("metrics port out of range 0-65535: " + port);
      this.metricsPort = port;
      return made("metricsPort");
    }

    /**
     * Where the metrics endpoint listens instead of loopback, e.g. {@code 0.0.0.0} for every
     * interface.
     *
     * @throws NullPointerException if the host is null
     * @throws IllegalArgumentException if the host is blank
     * @throws IllegalStateException if already set
     */
    public Builder metricsHost(String host) {
      Objects.requireNonNull(host, "host == null");
      requireNotSet("metricsHost", metricsHost);
      if (host.isBlank()) throw new IllegalArgumentException("metrics host is blank");
      this.metricsHost = host;
      return made("metricsHost");
    }

    /**
     * Registers the metrics with the platform MBean server as {@code
     * io.pointdata.udf:type=Udf,name="NAME"} (for jconsole, jcmd, Jolokia); off by default.
     *
     * @throws IllegalStateException if already set
     */
    public Builder jmx(boolean register) {
      requireNotSet("jmx", jmx);
      this.jmx = register;
      return made("jmx");
    }

    /** What to run after the server closed itself because it could not accept any more. */
    Builder onAcceptFailure(Runnable action) {
      this.onAcceptFailure = Objects.requireNonNull(action, "action == null");
      return this;
    }

    /** Where sessions get their threads: for tests that run out of them. */
    Builder sessionThreads(ThreadFactory factory) {
      this.sessionThreads = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /**
     * @throws IllegalStateException if no UDF or handler was set
     */
    public UdfServer build() {
      if (handlers == null) throw new IllegalStateException("no udf or handler set");
      return new UdfServer(this);
    }
  }
}
