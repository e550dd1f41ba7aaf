package io.pointdata.udf.internal;

import io.pointdata.udf.UdfException;
import io.pointdata.udf.UdfMetrics;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket UDF server behind {@code UdfServer}: the socket, the accepting thread, a thread per
 * session, and the lifecycle (gRPC's: shutdown stops accepting at once, shutdownNow ends the
 * sessions, termination is the last session's end).
 */
public final class SocketServer implements AutoCloseable {
  /**
   * What a server is built from; {@code UdfServer.Builder} checks each value.
   *
   * @param name the metrics' {@code udf} label, or null for the socket file's name
   * @param metricsPort the Prometheus endpoint's port, or -1 for none
   * @param maxSessionsProperty the system property an operator sets to raise maxSessions, named
   *     when a connection is refused for it
   * @param onAcceptFailure what to do, after closing, when the accepting thread cannot go on
   * @param sessionThreads makes each session's thread; {@link #DAEMON_THREADS} but in tests
   */
  public record Config(
      Path path,
      Supplier<? extends UdfHandler> handlers,
      Set<PosixFilePermission> permissions,
      SessionSettings settings,
      Duration shutdownTimeout,
      PeerFilter peers,
      int maxSessions,
      String maxSessionsProperty,
      String name,
      int metricsPort,
      String metricsHost,
      boolean jmx,
      int backlog,
      MemoryLimits memory,
      Runnable onAcceptFailure,
      ThreadFactory sessionThreads) {
    public Config {
      Objects.requireNonNull(path, "path == null");
      Objects.requireNonNull(handlers, "handlers == null");
      Objects.requireNonNull(onAcceptFailure, "onAcceptFailure == null");
      Objects.requireNonNull(sessionThreads, "sessionThreads == null");
    }
  }

  /** A plain daemon thread per session: an open session must not keep the JVM alive. */
  public static final ThreadFactory DAEMON_THREADS =
      task -> {
        Thread thread = new Thread(task);
        thread.setDaemon(true);
        return thread;
      };

  private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

  private final Path path;
  private final Supplier<? extends UdfHandler> handlers;
  private final Set<PosixFilePermission> permissions;
  private final SessionSettings settings;
  private final Duration shutdownTimeout;
  private final PeerFilter peers;
  private final int maxSessions;
  private final String maxSessionsProperty;
  private final Runnable onAcceptFailure;
  private final ThreadFactory sessionThreads;
  private final MetricsRegistry metrics;
  private final int metricsPort;
  private final String metricsHost;
  private final boolean jmx;
  private final int backlog;
  private final MemoryLimits memory;
  private final AtomicInteger sessionIds = new AtomicInteger();

  /** Guards the lifecycle fields below; never held while blocking on I/O or another thread. */
  private final Object lifecycle = new Object();

  /** Open sessions. Guarded by {@link #lifecycle}. */
  private final Set<Session> sessions = new HashSet<>();

  /** Null until started. Guarded by {@link #lifecycle}. */
  private AFUNIXServerSocket serverSocket;

  /** Null unless serving metrics over HTTP. Guarded by {@link #lifecycle}. */
  private MetricsEndpoint metricsEndpoint;

  /** Null unless registered with JMX. Guarded by {@link #lifecycle}. */
  private MetricsMBean metricsBean;

  /** Guarded by {@link #lifecycle}. */
  private boolean started;

  /** No new session after this. Guarded by {@link #lifecycle}. */
  private boolean shutdown;

  /**
   * Someone has claimed the termination (see {@link #claimTermination()}). Guarded by {@link
   * #lifecycle}.
   */
  private boolean terminating;

  /**
   * Shut down, every session ended, exposure closed; {@link #lifecycle} is notified when it turns
   * true. Guarded by it.
   */
  private boolean terminated;

  public SocketServer(Config config) {
    this.path = config.path();
    this.handlers = config.handlers();
    this.permissions = config.permissions();
    this.settings = config.settings();
    this.shutdownTimeout = config.shutdownTimeout();
    this.peers = config.peers();
    this.maxSessions = config.maxSessions();
    this.maxSessionsProperty = config.maxSessionsProperty();
    this.metrics =
        new MetricsRegistry(config.name() != null ? config.name() : nameOf(config.path()));
    this.metricsPort = config.metricsPort();
    this.metricsHost = config.metricsHost();
    this.jmx = config.jmx();
    this.backlog = config.backlog();
    this.memory = config.memory();
    this.onAcceptFailure = config.onAcceptFailure();
    this.sessionThreads = config.sessionThreads();
  }

  /** The socket file's name without its extension: "temperature" for {@code temperature.sock}. */
  private static String nameOf(Path path) {
    Path file = path.getFileName();
    String name = file == null ? path.toString() : file.toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Binds the socket and starts accepting connections.
   *
   * @throws IllegalStateException if already started, or shut down (a server is not restarted:
   *     build a new one)
   * @throws IOException if the socket cannot be created, e.g. the path exists and is not a stale
   *     socket
   */
  public void start() throws IOException {
    synchronized (lifecycle) {
      if (shutdown)
        throw new IllegalStateException(
            "the server on " + path + " was shut down; build a new one");
      if (started) throw new IllegalStateException("already started");
      started = true;
      SocketFiles.checkDirectory(path);
      SocketFiles.removeStale(path);
      // Before the socket, so that a bad metrics port fails the start with nothing to undo.
      if (metricsPort >= 0)
        metricsEndpoint = MetricsEndpoint.start(metrics, metricsHost, metricsPort);
      try {
        AFUNIXServerSocket socket = AFUNIXServerSocket.newInstance();
        // We remove the file ourselves, and only if it is still our socket.
        socket.setDeleteOnClose(false);
        socket.bind(AFUNIXSocketAddress.of(path.toFile()), backlog);
        // Until this chmod the file has the process umask's mode; with the usual umask 022 that
        // lets
        // only the owner connect, so the window grants nobody more than the final mode does.
        SocketFiles.setPermissions(path, permissions);
        serverSocket = socket;
      } catch (IOException | RuntimeException e) {
        // The endpoint's thread would keep the JVM alive for a server that never started.
        if (metricsEndpoint != null) metricsEndpoint.close();
        throw e;
      }
      if (jmx) metricsBean = MetricsMBean.register(metrics);
    }
    Thread acceptor = new Thread(this::acceptSafely, "udf-server-accept " + path.getFileName());
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("UDF server listening on {}", path);
  }

  /** The socket file's path. */
  public Path path() {
    return path;
  }

  /** Sessions open now. */
  public int activeSessions() {
    synchronized (lifecycle) {
      return sessions.size();
    }
  }

  /** What the sessions have done so far: counts since start, summed over every session. */
  public UdfMetrics metrics() {
    return metrics.snapshot();
  }

  /**
   * Where the Prometheus endpoint listens, with the port it bound; empty if it is off or not
   * started.
   */
  public Optional<InetSocketAddress> metricsAddress() {
    synchronized (lifecycle) {
      return metricsEndpoint == null ? Optional.empty() : Optional.of(metricsEndpoint.address());
    }
  }

  /** Closes this server when the JVM is asked to stop (SIGTERM, SIGINT). */
  public void closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "udf-server-shutdown"));
  }

  /** Whether {@link #shutdown()} (or {@link #close()}) was called. */
  public boolean isShutdown() {
    synchronized (lifecycle) {
      return shutdown;
    }
  }

  /** Whether the server is shut down and every session has ended. */
  public boolean isTerminated() {
    synchronized (lifecycle) {
      return terminated;
    }
  }

  /** Blocks until the server is shut down and its sessions have ended. */
  public void awaitTermination() throws InterruptedException {
    synchronized (lifecycle) {
      while (!terminated) lifecycle.wait();
    }
  }

  /**
   * Blocks until the server is shut down and its sessions have ended, or the timeout passes.
   *
   * @return whether the server terminated
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lifecycle) {
      while (!terminated) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
      }
      return true;
    }
  }

  /**
   * Accepts until closed. An error here (out of memory, say) would otherwise leave the socket file
   * in place with no one accepting on it, and the process up, so no supervisor restarts it: log
   * why, close, and exit with status 1.
   */
  private void acceptSafely() {
    try {
      acceptLoop();
    } catch (Throwable e) {
      if (isShutdown()) return;
      try {
        log.error(
            "UDF server on {} cannot accept connections any more; closing and exiting with status"
                + " 1",
            path,
            e);
        close();
      } finally {
        onAcceptFailure.run();
      }
    }
  }

  private void acceptLoop() {
    AFUNIXServerSocket socket;
    synchronized (lifecycle) {
      socket = serverSocket;
    }
    while (true) {
      AFUNIXSocket accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        if (!isShutdown()) {
          log.error("UDF server on {} stopped accepting connections", path, e);
          shutdown();
        }
        return;
      }
      try {
        startSession(accepted);
      } catch (RuntimeException e) {
        log.error("cannot start a session; the connection is closed", e);
        closeQuietly(accepted);
      }
    }
  }

  private static void closeQuietly(AFUNIXSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing a connection: {}", e.getMessage());
    }
  }

  private void startSession(AFUNIXSocket socket) {
    int id = sessionIds.incrementAndGet();
    if (activeSessions() >= maxSessions) {
      metrics.refused();
      refuseAtOnce(
          socket,
          id,
          "refused: the UDF server already serves "
              + maxSessions
              + " sessions, its maximum (-D"
              + maxSessionsProperty
              + "=N among the UDF's JVM flags raises it)");
      return;
    }
    String refusal = peers.refusal(socket);
    UdfHandler handler = refusal == null ? createHandler(id) : refusingHandler(refusal);
    if (refusal != null) {
      log.warn("session {}: {}", id, refusal);
      metrics.refused();
    }
    Session session =
        new Session("socket-" + id, socketConnection(socket), handler, settings, memory);
    SessionMetrics counts = refusal == null ? metrics.open("socket-" + id) : null;
    if (counts != null) {
      session.metrics(counts);
      if (handler instanceof DropCounting counting) counting.onDrop(counts::dropped);
    }
    boolean admitted;
    synchronized (lifecycle) {
      admitted = !shutdown && sessions.add(session);
    }
    if (!admitted) {
      // Shut down between accept and here: shutdownNow() could not see this session.
      if (counts != null) metrics.close(counts);
      refuseAtOnce(socket, id, "the UDF server is shutting down");
      return;
    }
    try {
      startThread(session, counts, id);
    } catch (Throwable e) {
      // No thread, so no session: take it back, or the server would wait for it forever.
      if (counts != null) metrics.close(counts);
      sessionEnded(session);
      metrics.refused();
      refuseAtOnce(
          socket,
          id,
          "refused: the UDF server cannot start a thread for this session: " + Errors.describe(e));
      // Out of threads (the JVM's or the system's limit) passes with the sessions that end;
      // anything else is not understood, and the accepting thread's own handling takes it.
      if (!(e instanceof OutOfMemoryError)) throw e;
    }
  }

  private void startThread(Session session, SessionMetrics counts, int id) {
    Thread thread =
        sessionThreads.newThread(
            () -> {
              try {
                Session.Result result = session.run();
                if (!result.clean()) log.warn("session {} ended: {}", id, result.error());
              } catch (Throwable e) {
                log.error("session {} failed", id, e);
              } finally {
                if (counts != null) metrics.close(counts);
                sessionEnded(session);
              }
            });
    if (thread == null) throw new IllegalStateException("the thread factory gave no thread");
    thread.setName("udf-session-" + id);
    thread.start();
  }

  /**
   * Tells the peer why at once, with an ErrorResponse Kapacitor shows as the task's error, and
   * closes: no session, no thread. The frame is small enough for the socket's buffer, so a peer
   * that does not read cannot block the accepting thread.
   */
  private static void refuseAtOnce(AFUNIXSocket socket, int id, String reason) {
    log.warn("session {}: {}", id, reason);
    try (socket) {
      FrameWriter writer = new FrameWriter(socket.getOutputStream());
      writer.write(
          UdfProto.Response.newBuilder()
              .setError(UdfProto.ErrorResponse.newBuilder().setError(reason))
              .build());
      writer.flush();
    } catch (IOException e) {
      log.debug("session {}: could not tell the peer: {}", id, e.getMessage());
    }
  }

  /** A handler from the factory; if the factory fails, one that reports why to Kapacitor. */
  private UdfHandler createHandler(int id) {
    try {
      return Objects.requireNonNull(handlers.get(), "the UDF factory returned null");
    } catch (RuntimeException | Error e) {
      log.error("session {}: cannot create the UDF", id, e);
      return refusingHandler("cannot create the UDF: " + e);
    }
  }

  /** A handler that answers whatever comes first with an ErrorResponse giving the reason. */
  private static UdfHandler refusingHandler(String reason) {
    return new UdfHandler() {
      @Override
      public UdfProto.InfoResponse info() {
        throw new UdfException(reason);
      }

      @Override
      public UdfProto.InitResponse init(UdfProto.InitRequest request) {
        throw new UdfException(reason);
      }

      @Override
      public UdfProto.SnapshotResponse snapshot() {
        throw new UdfException(reason);
      }

      @Override
      public UdfProto.RestoreResponse restore(UdfProto.RestoreRequest request) {
        throw new UdfException(reason);
      }

      @Override
      public void point(UdfProto.Point point, ResponseSink out) {
        throw new UdfException(reason);
      }
    };
  }

  private static Connection socketConnection(AFUNIXSocket socket) {
    return new Connection() {
      @Override
      public InputStream input() {
        try {
          return socket.getInputStream();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public OutputStream output() {
        try {
          return socket.getOutputStream();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void closeOutput() throws IOException {
        // Through the channel: from JDK 25 on, Socket.shutdownOutput() checks a connected flag that
        // only java.net's own connect and accept set, so it refuses every junixsocket socket.
        if (!socket.isClosed()) socket.getChannel().shutdownOutput();
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }

  private void sessionEnded(Session session) {
    boolean last;
    synchronized (lifecycle) {
      sessions.remove(session);
      last = shutdown && sessions.isEmpty() && claimTermination();
    }
    if (last) terminate();
  }

  /**
   * Whether the caller is the one to terminate the server. Guarded by {@link #lifecycle}, which the
   * caller holds.
   */
  private boolean claimTermination() {
    if (terminating) return false;
    terminating = true;
    return true;
  }

  /**
   * Called once, without the lock: releases what outlives the sessions (the metrics endpoint, whose
   * thread would keep the JVM alive, and the MBean), then wakes whoever awaits termination.
   */
  private void terminate() {
    MetricsEndpoint endpoint;
    MetricsMBean bean;
    synchronized (lifecycle) {
      endpoint = metricsEndpoint;
      bean = metricsBean;
    }
    if (endpoint != null) endpoint.close();
    if (bean != null) bean.close();
    synchronized (lifecycle) {
      terminated = true;
      lifecycle.notifyAll();
    }
    log.info("UDF server on {} stopped", path);
  }

  /**
   * Stops accepting and removes the socket file; open sessions go on until they end. Returns at
   * once; idempotent. Use {@link #awaitTermination(Duration)} to wait for the sessions.
   */
  public void shutdown() {
    AFUNIXServerSocket socket;
    boolean idle;
    synchronized (lifecycle) {
      if (shutdown) return;
      shutdown = true;
      socket = serverSocket;
      idle = sessions.isEmpty() && claimTermination();
    }
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing the server socket: {}", e.getMessage());
      }
      SocketFiles.deleteQuietly(path);
    }
    if (idle) terminate();
  }

  /**
   * {@link #shutdown()}, then ends every open session with an {@code ErrorResponse} saying the
   * server is shutting down. Returns once they are told; {@link #awaitTermination} waits for the
   * rest.
   */
  public void shutdownNow() {
    shutdown();
    List<Session> open;
    synchronized (lifecycle) {
      open = List.copyOf(sessions);
    }
    if (!open.isEmpty()) log.warn("closing {} open session(s)", open.size());
    open.forEach(s -> s.abort("the UDF server is shutting down"));
  }

  /**
   * Shuts down, waits up to the shutdown timeout for open sessions to end, then ends the rest and
   * waits for them. A concurrent or later call also returns only once the server has terminated.
   */
  @Override
  public void close() {
    drain();
  }

  /**
   * As {@link #close()}; returns true if every open session ended by itself within the shutdown
   * timeout (false if some had to be closed, or if the server was already shut down).
   */
  public boolean drain() {
    boolean first = !isShutdown();
    shutdown();
    boolean clean = first;
    try {
      if (!awaitTermination(shutdownTimeout)) {
        clean = false;
        log.warn("sessions still open after {}", Durations.format(shutdownTimeout));
        shutdownNow();
        // A handler that ignores interrupts can keep its thread (a daemon) alive: do not hang on
        // it.
        if (!awaitTermination(shutdownTimeout))
          log.warn("{} session(s) did not end: their handlers do not return", activeSessions());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownNow();
      clean = false;
    }
    return clean;
  }
}
