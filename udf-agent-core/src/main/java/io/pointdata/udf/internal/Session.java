package io.pointdata.udf.internal;

import io.pointdata.udf.ResponseSink;
import io.pointdata.udf.UdfHandler;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kapacitor connection: the agent loop.
 *
 * <p>A reader thread reads frames, answers keepalives itself at once (so a busy handler never gets
 * the task killed), and queues every other request. The thread that calls {@link #run()} takes
 * requests from the queue in order and calls the handler, one at a time. Both write through one
 * {@link FrameWriter} under {@link #writeLock}; data responses are flushed when the queue is empty,
 * management responses and keepalives at once. The bounded queue is the back-pressure: when the
 * handler falls behind, the reader stops reading and Kapacitor's writes block.
 *
 * <p>At end of input the handler is drained, every response flushed, then the output closed. A
 * handler exception or a malformed frame ends the session with an {@code ErrorResponse}.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final Object END_OF_INPUT = new Object();
  private static final Object ABORTED = new Object();

  /** How a session ended. */
  public record Result(boolean clean, String error, long requests, long responses) {}

  private record ReadFailure(IOException cause) {}

  private final String name;
  private final Connection connection;
  private final UdfHandler handler;
  private final BlockingQueue<Object> queue;
  private final SessionSettings settings;
  private final Object writeLock = new Object();
  // Guarded by writeLock.
  private final FrameWriter writer;
  // Guarded by writeLock.
  private IOException writeFailure;
  // Guarded by writeLock.
  private boolean errorSent;
  private final OutputValidator validator = new OutputValidator();
  private final ResponseSink sink = this::sendData;
  private volatile boolean stopping;
  private volatile String label;
  private long requests;
  /** When the current handler call started (never 0), or 0 when the handler is idle. */
  private volatile long busySince;
  private volatile Request.MessageCase busyWith;
  private volatile String abortReason;
  private volatile Thread handlerThread;
  private Runnable onHandlerStuck = () -> {};
  /** Whether a handler deadline applies, so the hot path skips the clock when none does. */
  private final boolean watched;

  public Session(String name, Connection connection, UdfHandler handler, SessionSettings settings) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.connection = Objects.requireNonNull(connection, "connection == null");
    this.handler = Objects.requireNonNull(handler, "handler == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.writer = new FrameWriter(connection.output());
    this.label = name;
    this.watched = settings.handlerDeadline() != null;
  }

  /**
   * What to do when a handler call overruns its deadline and does not return once interrupted: the
   * session has already sent the ErrorResponse and closed the connection. A process UDF exits,
   * since Kapacitor waits for the process to end (for package use; set before {@link #run()}).
   */
  public Session onHandlerStuck(Runnable action) {
    this.onHandlerStuck = action;
    return this;
  }

  /** Runs the session to its end on the calling thread. Never throws; the result says how it ended. */
  public Result run() {
    handlerThread = Thread.currentThread();
    if (watched) HandlerWatchdog.watch(this);
    Thread reader = new Thread(this::readLoop, name + "-reader");
    reader.setDaemon(true);
    reader.start();
    String error = null;
    try {
      error = handleLoop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } finally {
      finish(error);
    }
    long responses;
    synchronized (writeLock) {
      responses = writer.framesWritten();
    }
    return new Result(error == null, error, requests, responses);
  }

  /**
   * Ends the session from another thread: tells Kapacitor why with an ErrorResponse (if it can be
   * written within a moment), then closes the connection, which ends both loops.
   */
  public void abort(String reason) {
    if (stopping) return;
    abortReason = reason;
    stopping = true;
    queue.clear();
    queue.offer(ABORTED);
    Thread teller = new Thread(() -> sendError(reason), label + "-abort");
    teller.setDaemon(true);
    teller.start();
    try {
      teller.join(500); // a peer that is not reading must not hold the abort up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }

  /** Called by the watchdog: ends the session if the current handler call is past its deadline. */
  void checkDeadline(long now) {
    long since = busySince;
    if (since == 0 || stopping || now - since < settings.handlerDeadline().toNanos()) return;
    String error = "request of type " + kind(busyWith) + " did not finish within the handler deadline of "
        + settings.handlerDeadline();
    log.error("{}: {}; ending the session", label, error);
    HandlerWatchdog.unwatch(this);
    Thread watchdog = new Thread(() -> {
      abort(error);
      Thread handler = handlerThread;
      if (handler != null) handler.interrupt();
      long giveUp = System.nanoTime() + 1_000_000_000L;
      while (busySince != 0 && System.nanoTime() < giveUp) LockSupport.parkNanos(10_000_000L);
      if (busySince != 0) {
        log.error("{}: the handler ignored the interrupt and is abandoned", label);
        onHandlerStuck.run();
      }
    }, label + "-deadline");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void readLoop() {
    FrameReader<Request> frames = new FrameReader<>(connection.input(), Request.parser(), settings.maxFrameSize());
    try {
      while (!stopping) {
        Request request = frames.read();
        if (request == null) {
          enqueue(END_OF_INPUT);
          return;
        }
        if (request.getMessageCase() == Request.MessageCase.KEEPALIVE) {
          answerKeepalive(request.getKeepalive());
        } else {
          enqueue(request);
        }
      }
    } catch (IOException e) {
      if (!stopping) enqueueQuietly(new ReadFailure(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void enqueueQuietly(Object item) {
    try {
      enqueue(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues for the handler; gives up if the handler has stopped, so the reader never blocks forever. */
  private void enqueue(Object item) throws InterruptedException {
    while (!stopping) {
      if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) return;
    }
  }

  private void answerKeepalive(UdfProto.KeepaliveRequest keepalive) {
    Response response =
        Response.newBuilder()
            .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(keepalive.getTime()))
            .build();
    synchronized (writeLock) {
      if (writeFailure != null) return;
      try {
        writer.write(response);
        writer.flush();
      } catch (IOException e) {
        writeFailure = e;
      }
    }
  }

  /** Returns null at a clean end of input, or the error the session ended with. */
  private String handleLoop() throws InterruptedException {
    while (true) {
      Object item = queue.take();
      if (item == END_OF_INPUT) return null;
      if (item == ABORTED) {
        sendError(abortReason); // unless abort() could already
        return abortReason;
      }
      if (item instanceof ReadFailure failure) {
        String error = "read error: " + failure.cause().getMessage();
        log.error("{}: {}", label, error);
        sendError(error);
        return error;
      }
      Request request = (Request) item;
      requests++;
      busyWith = request.getMessageCase();
      busySince = System.nanoTime() | 1;
      try {
        dispatch(request);
      } catch (Throwable e) {
        busySince = 0;
        if (stopping) return abortReason;
        String error = "error processing request of type " + kind(request) + ": " + Errors.describe(e);
        IOException failedWrite = writeFailure();
        if (failedWrite != null) {
          log.error("{}: cannot write to Kapacitor: {}", label, failedWrite.getMessage());
          return "write error: " + failedWrite.getMessage();
        }
        log.error("{}: {}", label, error, e);
        sendError(error);
        return error;
      }
      busySince = 0;
      if (queue.isEmpty()) flush();
    }
  }

  private void dispatch(Request request) throws Exception {
    switch (request.getMessageCase()) {
      case INFO -> sendNow(Response.newBuilder().setInfo(required(handler.info(), "info")).build());
      case INIT -> {
        UdfProto.InitRequest init = request.getInit();
        if (!init.getTaskID().isEmpty() || !init.getNodeID().isEmpty()) {
          label = name + " task=" + init.getTaskID() + " node=" + init.getNodeID();
        }
        UdfProto.InitResponse response = required(handler.init(init), "init");
        if (!response.getSuccess()) log.warn("{}: init refused: {}", label, response.getError());
        sendNow(Response.newBuilder().setInit(response).build());
      }
      case SNAPSHOT -> sendNow(Response.newBuilder().setSnapshot(required(handler.snapshot(), "snapshot")).build());
      case RESTORE -> {
        UdfProto.RestoreResponse response = required(handler.restore(request.getRestore()), "restore");
        if (!response.getSuccess()) log.warn("{}: restore refused: {}", label, response.getError());
        sendNow(Response.newBuilder().setRestore(response).build());
      }
      case BEGIN -> handler.beginBatch(request.getBegin(), sink);
      case POINT -> handler.point(request.getPoint(), sink);
      case END -> handler.endBatch(request.getEnd(), sink);
      case KEEPALIVE -> answerKeepalive(request.getKeepalive());
      case MESSAGE_NOT_SET -> log.warn(
          "{}: ignoring a request of unknown kind (field numbers {})",
          label,
          request.getUnknownFields().asMap().keySet());
    }
  }

  private static <T> T required(T response, String method) {
    if (response == null) throw new IllegalStateException("handler's " + method + "() returned null");
    return response;
  }

  private void sendData(Response response) {
    validator.check(response);
    // Time blocked writing to a slow Kapacitor is not the handler's: each response restarts its clock.
    if (watched) busySince = 0;
    synchronized (writeLock) {
      if (writeFailure != null) throw new UncheckedIOException(writeFailure);
      try {
        writer.write(response);
      } catch (IOException e) {
        writeFailure = e;
        throw new UncheckedIOException(e);
      }
    }
    if (watched) busySince = System.nanoTime() | 1;
  }

  private void sendNow(Response response) throws IOException {
    synchronized (writeLock) {
      if (writeFailure != null) throw writeFailure;
      try {
        writer.write(response);
        writer.flush();
      } catch (IOException e) {
        writeFailure = e;
        throw e;
      }
    }
  }

  /** Sends the session's one ErrorResponse; later calls do nothing. */
  private void sendError(String error) {
    synchronized (writeLock) {
      if (errorSent) return;
      errorSent = true;
    }
    try {
      sendNow(Response.newBuilder().setError(UdfProto.ErrorResponse.newBuilder().setError(error)).build());
    } catch (IOException e) {
      log.debug("{}: could not send the error to Kapacitor: {}", label, e.getMessage());
    }
  }

  private void flush() {
    synchronized (writeLock) {
      if (writeFailure != null) return;
      try {
        writer.flush();
      } catch (IOException e) {
        writeFailure = e;
      }
    }
  }

  private IOException writeFailure() {
    synchronized (writeLock) {
      return writeFailure;
    }
  }

  private void finish(String error) {
    stopping = true;
    HandlerWatchdog.unwatch(this);
    try {
      handler.close();
    } catch (Throwable e) {
      log.warn("{}: handler close() failed", label, e);
    }
    if (error == null && validator.openBatch() != null) {
      log.error("{}: the handler left batch '{}' open at end of input; Kapacitor discards it",
          label, validator.openBatch().getName());
    }
    flush();
    IOException failed = writeFailure();
    if (failed != null && error == null) {
      log.error("{}: responses were not all delivered: {}", label, failed.getMessage());
    }
    try {
      connection.closeOutput();
    } catch (IOException e) {
      log.debug("{}: closing output: {}", label, e.getMessage());
    }
    closeQuietly();
    log.debug("{}: ended ({} requests){}", label, requests, error == null ? "" : ": " + error);
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (IOException e) {
      log.debug("{}: closing: {}", label, e.getMessage());
    }
  }

  private static String kind(Request request) {
    return kind(request.getMessageCase());
  }

  private static String kind(Request.MessageCase kind) {
    return switch (kind) {
      case INFO -> "info";
      case INIT -> "init";
      case KEEPALIVE -> "keepalive";
      case SNAPSHOT -> "snapshot";
      case RESTORE -> "restore";
      case BEGIN -> "begin";
      case POINT -> "point";
      case END -> "end";
      case MESSAGE_NOT_SET -> "unknown";
    };
  }
}
