package io.pointdata.udf;

import io.pointdata.udf.internal.Connection;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.internal.PeerFilter;
import io.pointdata.udf.internal.Session;
import io.pointdata.udf.internal.SessionSettings;
import io.pointdata.udf.internal.SocketFiles;
import io.pointdata.udf.proto.UdfProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * socket, or a socket another server still listens on, is refused. {@link #close()} stops
 * accepting, removes the socket file, lets open sessions finish within the shutdown timeout and then
 * closes them. It is safe to call more than once.
 */
public final class UdfServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdfServer.class);

  private final Path path;
  private final Supplier<? extends UdfHandler> handlers;
  private final Set<PosixFilePermission> permissions;
  private final SessionSettings settings;
  private final Duration shutdownTimeout;
  private final PeerFilter peers;
  private final int maxSessions;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sessionIds = new AtomicInteger();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  // Guarded by lifecycle.
  private AFUNIXServerSocket serverSocket;
  // Guarded by lifecycle.
  private boolean started;
  // Guarded by lifecycle.
  private boolean closed;

  private UdfServer(Builder builder) {
    this.path = builder.path;
    this.handlers = builder.handlers;
    this.permissions = builder.permissions;
    this.settings = SessionSettings.DEFAULTS.withMaxFrameSize(builder.maxFrameSize)
        .withHandlerDeadline(builder.handlerDeadline);
    this.shutdownTimeout = builder.shutdownTimeout;
    this.peers = new PeerFilter(builder.allowedUids, builder.allowedGids);
    this.maxSessions = builder.maxSessions;
  }

  /** A builder for a server on the given socket path. */
  public static Builder builder(Path socketPath) {
    return new Builder(Objects.requireNonNull(socketPath, "socketPath == null"));
  }

  /**
   * Binds the socket and starts accepting connections.
   *
   * @throws IllegalStateException if already started
   * @throws IOException if the socket cannot be created, e.g. the path exists and is not a stale socket
   */
  public UdfServer start() throws IOException {
    synchronized (lifecycle) {
      if (started) throw new IllegalStateException("already started");
      started = true;
      SocketFiles.checkDirectory(path);
      SocketFiles.removeStale(path);
      AFUNIXServerSocket socket = AFUNIXServerSocket.newInstance();
      // We remove the file ourselves, and only if it is still our socket.
      socket.setDeleteOnClose(false);
      socket.bind(AFUNIXSocketAddress.of(path.toFile()));
      // Until this chmod the file has the process umask's mode; with the usual umask 022 that lets
      // only the owner connect, so the window grants nobody more than the final mode does.
      SocketFiles.setPermissions(path, permissions);
      serverSocket = socket;
    }
    Thread acceptor = new Thread(this::acceptLoop, "udf-server-accept " + path.getFileName());
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("UDF server listening on {}", path);
    return this;
  }

  /** The socket file's path. */
  public Path path() {
    return path;
  }

  /** Sessions open now. */
  public int activeSessions() {
    return sessions.size();
  }

  /** Closes this server when the JVM is asked to stop (SIGTERM, SIGINT). */
  public void closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "udf-server-shutdown"));
  }

  /** Blocks until the server is closed and its sessions have ended. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Blocks until the server is closed and its sessions have ended, or the timeout passes. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
        if (!isClosed()) {
          log.error("UDF server on {} stopped accepting connections", path, e);
          close();
        }
        return;
      }
      startSession(accepted);
    }
  }

  private void startSession(AFUNIXSocket socket) {
    int id = sessionIds.incrementAndGet();
    if (sessions.size() >= maxSessions) {
      refuseAtOnce(socket, id, "refused: the UDF server already serves " + maxSessions
          + " sessions, its maximum (UdfServer.Builder.maxSessions)");
      return;
    }
    String refusal = peers.refusal(socket);
    UdfHandler handler = refusal == null ? createHandler(id) : refusingHandler(refusal);
    if (refusal != null) log.warn("session {}: {}", id, refusal);
    Session session = new Session("socket-" + id, socketConnection(socket), handler, settings);
    sessions.add(session);
    if (isClosed()) {
      // close() may have snapshotted the sessions already: do not start one it cannot see.
      sessions.remove(session);
      session.abort("the UDF server is shutting down");
      return;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                Session.Result result = session.run();
                if (!result.clean()) log.warn("session {} ended: {}", id, result.error());
              } finally {
                sessions.remove(session);
              }
            },
            "udf-session-" + id);
    thread.setDaemon(true);
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
      writer.write(UdfProto.Response.newBuilder().setError(UdfProto.ErrorResponse.newBuilder().setError(reason)).build());
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

  private boolean isClosed() {
    synchronized (lifecycle) {
      return closed;
    }
  }

  /**
   * Stops accepting, removes the socket file, waits up to the shutdown timeout for open sessions
   * to end, then closes the rest.
   */
  @Override
  public void close() {
    AFUNIXServerSocket socket;
    synchronized (lifecycle) {
      if (closed) return;
      closed = true;
      socket = serverSocket;
    }
    try {
      if (socket != null) socket.close();
    } catch (IOException e) {
      log.debug("closing the server socket: {}", e.getMessage());
    }
    SocketFiles.deleteQuietly(path);
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    while (!sessions.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!sessions.isEmpty()) {
      log.warn("closing {} session(s) still open after {}", sessions.size(), shutdownTimeout);
      sessions.forEach(s -> s.abort("the UDF server is shutting down"));
    }
    log.info("UDF server on {} stopped", path);
    terminated.countDown();
  }

  /** Builds a {@link UdfServer}; each setter checks its argument at once. */
  public static final class Builder {
    private final Path path;
    private Supplier<? extends UdfHandler> handlers;
    private Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-rw----");
    private int maxFrameSize = SessionSettings.DEFAULT_MAX_FRAME_SIZE;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Set<Long> allowedUids = Set.of();
    private Set<Long> allowedGids = Set.of();
    private Duration handlerDeadline;
    private int maxSessions = 1024;

    private Builder(Path path) {
      this.path = path;
    }

    /** The UDF to run, one new instance per connection (for chaining). */
    public Builder udf(Supplier<? extends Udf> udf) {
      this.handlers = UdfAgent.adapt(udf);
      return this;
    }

    /** A protocol-level handler to run, one new instance per connection (for chaining). */
    public Builder handler(Supplier<? extends UdfHandler> handler) {
      this.handlers = Objects.requireNonNull(handler, "handler == null");
      return this;
    }

    /** The socket file's permissions; default {@code rw-rw----} (owner and group). */
    public Builder permissions(Set<PosixFilePermission> permissions) {
      Objects.requireNonNull(permissions, "permissions == null");
      if (!permissions.contains(PosixFilePermission.OWNER_WRITE)) {
        throw new IllegalArgumentException("permissions must let the owner write: " + permissions);
      }
      this.permissions = Set.copyOf(permissions);
      return this;
    }

    /** The largest frame accepted, in bytes; default 64 MiB. */
    public Builder maxFrameSize(int bytes) {
      if (bytes < 16) throw new IllegalArgumentException("maxFrameSize < 16: " + bytes);
      this.maxFrameSize = bytes;
      return this;
    }

    /**
     * The most sessions served at once; default 1,024 (each holds two threads). A connection beyond
     * it is answered with an ErrorResponse saying so, closed and logged.
     */
    public Builder maxSessions(int sessions) {
      if (sessions < 1) throw new IllegalArgumentException("maxSessions < 1: " + sessions);
      this.maxSessions = sessions;
      return this;
    }

    /** How long {@link #close()} waits for open sessions; default 10 s. */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative()) throw new IllegalArgumentException("timeout < 0: " + timeout);
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * How long one handler call may run without emitting anything (time blocked writing to a slow
     * Kapacitor does not count); past it the session ends with an ErrorResponse naming the
     * request, and the handler thread is interrupted. Default: no limit, as in Kapacitor (a model fit
     * may legitimately take long; keepalives are answered meanwhile).
     */
    public Builder handlerDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline == null");
      if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline <= 0: " + deadline);
      this.handlerDeadline = deadline;
      return this;
    }

    /**
     * Accepts connections only from processes running as one of these users (or of the groups of
     * {@link #allowedGids}); others are answered with an error, closed and logged. By default
     * the socket file's permissions alone decide who may connect.
     */
    public Builder allowedUids(long... uids) {
      this.allowedUids = ids(uids);
      return this;
    }

    /** Accepts connections only from processes whose primary group is one of these (or see {@link #allowedUids}). */
    public Builder allowedGids(long... gids) {
      this.allowedGids = ids(gids);
      return this;
    }

    private static Set<Long> ids(long[] ids) {
      Set<Long> set = new java.util.HashSet<>();
      for (long id : ids) {
        if (id < 0) throw new IllegalArgumentException("id < 0: " + id);
        set.add(id);
      }
      return Set.copyOf(set);
    }

    /** @throws IllegalStateException if no UDF or handler was set */
    public UdfServer build() {
      if (handlers == null) throw new IllegalStateException("no udf or handler set");
      return new UdfServer(this);
    }
  }
}
