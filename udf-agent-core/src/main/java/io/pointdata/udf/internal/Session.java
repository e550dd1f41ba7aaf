package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kapacitor connection: the agent loop.
 *
 * <p>A reader thread reads frames, answers keepalives itself at once (so a busy handler never gets
 * the task killed), and queues every other frame's bytes, unparsed. It hands frames over in
 * batches: all those it has read before it would block on the stream, up to {@link #MAX_BATCH}, so
 * the one hand-off (lock, and wake-up of a waiting handler) is paid per read rather than per point.
 * The thread that calls {@link #run()} takes frames from the queue in order, parses each and calls
 * the handler, one at a time. Parsing there keeps what waits in the queue compact: a parsed point
 * is an object graph some 12 times its wire size, and a full queue of them survives young
 * collections, which then spend their time copying it. Both write through one {@link
 * ResponseWriter}; data responses are flushed when the queue is empty, management responses and
 * keepalives at once. The bounded queue is the back-pressure: when the handler falls behind, the
 * reader stops reading and Kapacitor's writes block.
 *
 * <p>A handler with a timer gets its calls through the same queue: a JVM-wide timer thread queues
 * one when due unless one is already waiting, so timer calls run on the handler's thread between
 * requests and never pile up.
 *
 * <p>At end of input the handler is drained, every response flushed, then the output closed. A
 * handler exception or a malformed frame ends the session with an {@code ErrorResponse}.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final Object END_OF_INPUT = new Object();
  private static final Object ABORTED = new Object();

  /** What a call for each kind of request handles, in messages: "request of type point". */
  private static final Map<Request.MessageCase, String> CALLS =
      new EnumMap<>(Request.MessageCase.class);

  static {
    for (Request.MessageCase kind : Request.MessageCase.values())
      CALLS.put(kind, "request of type " + kind(kind));
  }

  /** A call of the handler's timer is due. */
  private static final Object TIMER = new Object();

  /** The most requests handed to the handler at once. */
  static final int MAX_BATCH = 64;

  /** The first byte of a KeepaliveRequest frame: field 3, length-delimited. */
  private static final byte KEEPALIVE_TAG = 0x1a;

  // The first bytes of the two-byte tags of Request fields 16 (begin), 17 (point) and 18 (end),
  // length-delimited; the second byte is 01.
  private static final byte BEGIN_TAG = (byte) 0x82;
  private static final byte POINT_TAG = (byte) 0x8a;
  private static final byte END_TAG = (byte) 0x92;

  /** How a session ended. */
  public record Result(boolean clean, String error, long requests, long responses) {}

  private record ReadFailure(String message) {}

  /** Whether the handler's loop ends at this item: the items that are never dropped. */
  private static boolean endsTheLoop(Object item) {
    return item == END_OF_INPUT || item == ABORTED || item instanceof ReadFailure;
  }

  /** How large the write buffer is: what an idle session holds for its output. */
  static final int WRITE_BUFFER_SIZE = 8 * 1024;

  /** Warnings of a kind repeated within a session: the first this many, then every thousandth. */
  private static final int WARNINGS_IN_FULL = 10;

  /** Frames handed over at once, unparsed, with their numbers for error messages. */
  private static final class Batch {
    final byte[][] frames;
    final long[] numbers;
    int size;

    /** The frames' bytes, reserved from the in-flight budget until handled. */
    long bytes;

    Batch(int capacity) {
      frames = new byte[capacity][];
      numbers = new long[capacity];
    }

    void add(byte[] frame, long number) {
      frames[size] = frame;
      numbers[size++] = number;
      bytes += frame.length;
    }
  }

  private final String name;
  private final Connection connection;
  private final UdfHandler handler;
  // Holds Batches, then END_OF_INPUT or a ReadFailure.
  private final BlockingQueue<Object> queue;
  private final int batchSize;
  private final SessionSettings settings;
  private final MemoryLimits memory;
  private final ResponseWriter writer;
  private final HandlerDeadline deadline;
  private final ResponseSink sink = this::sendData;
  // Handler thread only.
  private final PointDecoder pointDecoder = new PointDecoder();
  // The point being handled and its frame, when the frame holds that point alone; handler thread
  // only.
  private UdfProto.Point arrivedPoint;
  private byte[] arrivedFrame;
  private volatile boolean stopping;
  private volatile String label;
  private long requests;

  /** Whether a TIMER is in the queue, so that due calls never pile up behind a busy handler. */
  private final AtomicBoolean timerQueued = new AtomicBoolean();

  private volatile ScheduledFuture<?> timer;

  /** Whether an Init succeeded: a task's session, not an Info-only one. Handler thread only. */
  private boolean taskStarted;

  private volatile String abortReason;
  private Runnable onHandlerStuck = () -> {};
  private SessionMetrics metrics = new SessionMetrics("detached");
  private volatile Thread readerThread;

  /**
   * The open batch's name, points and bytes so far, or null between batches. Handler thread only.
   */
  private String openBatch;

  private long openBatchPoints;
  private long openBatchBytes;

  /** Whether {@link RawPoints} holds points of this session. Handler thread only. */
  private boolean holdingRawPoints;

  /** Requests of unknown kind ignored so far, for rate-limited warnings. Handler thread only. */
  private long unknownRequests;

  /** A session with {@link MemoryLimits#defaults()}: a budget of its own, as a process UDF has. */
  public Session(String name, Connection connection, UdfHandler handler, SessionSettings settings) {
    this(name, connection, handler, settings, MemoryLimits.defaults());
  }

  public Session(
      String name,
      Connection connection,
      UdfHandler handler,
      SessionSettings settings,
      MemoryLimits memory) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.connection = Objects.requireNonNull(connection, "connection == null");
    this.handler = Objects.requireNonNull(handler, "handler == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.memory = Objects.requireNonNull(memory, "memory == null");
    // About queueCapacity requests in all: batches of batchSize, exactly one at a time when it is
    // 1.
    this.batchSize = Math.min(MAX_BATCH, settings.queueCapacity());
    this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.queueCapacity() / batchSize));
    this.writer = new ResponseWriter(connection.output(), WRITE_BUFFER_SIZE);
    this.deadline = new HandlerDeadline(settings.handlerDeadline(), new DeadlineOwner());
    this.label = name;
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

  /** Where this session counts what it does (for package use; set before {@link #run()}). */
  public Session metrics(SessionMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    return this;
  }

  /**
   * Runs the session to its end on the calling thread. Never throws; the result says how it ended.
   */
  public Result run() {
    deadline.watchCurrentThread();
    String error = null;
    try {
      Thread reader = new Thread(this::readLoop, name + "-reader");
      reader.setDaemon(true);
      readerThread = reader;
      reader.start();
      error = handleLoop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (Throwable e) {
      // Out of memory or threads, say: the session ends, telling Kapacitor why; the process goes
      // on.
      error = "the agent failed: " + Errors.describe(e);
      log.error("{}: {}", label, error, e);
      sendError(error);
    } finally {
      finish(error);
    }
    return new Result(error == null, error, requests, writer.responsesWritten());
  }

  /**
   * Ends the session from another thread: tells Kapacitor why with an ErrorResponse (if it can be
   * written within a moment), then closes the connection, which ends both loops.
   */
  public void abort(String reason) {
    if (stopping) return;
    abortReason = reason;
    stopping = true;
    releaseQueued();
    // The reader may queue one more batch (it checks stopping before each): make room again.
    // A queue that stays full holds an end already, which stops the handler as well.
    while (!queue.offer(ABORTED) && queue.stream().noneMatch(Session::endsTheLoop)) {
      releaseQueued();
    }
    Thread teller =
        new Thread(
            () -> {
              try {
                sendError(reason);
              } catch (Throwable e) {
                log.debug("{}: could not tell Kapacitor why: {}", label, e.toString());
              }
            },
            label + "-abort");
    teller.setDaemon(true);
    try {
      teller.start();
      teller.join(500); // a peer that is not reading must not hold the abort up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (OutOfMemoryError e) {
      // No thread to tell Kapacitor with (the thread limit): the session still ends, silently.
      log.warn("{}: could not tell Kapacitor why the session ends: {}", label, e.toString());
    }
    closeQuietly();
  }

  /** What the handler deadline ends, once a handler call is past it. */
  private final class DeadlineOwner implements HandlerDeadline.Owner {
    @Override
    public boolean stopping() {
      return stopping;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public SessionMetrics metrics() {
      return metrics;
    }

    @Override
    public void abort(String reason) {
      Session.this.abort(reason);
    }

    @Override
    public void close() {
      closeQuietly();
    }

    @Override
    public void handlerStuck() {
      onHandlerStuck.run();
    }
  }

  /**
   * Reads until end of input or failure. Whatever ends it, the handler hears of it (a thread that
   * died silently here would leave the handler waiting forever), and every byte it reserved from
   * the in-flight budget is released by whoever holds the frame last.
   */
  private void readLoop() {
    Batch batch = new Batch(batchSize);
    try {
      FrameReader<Request> frames =
          new FrameReader<>(
              connection.input(), Request.parser(), settings.maxFrameSize(), memory.inFlight());
      ReadCoalescer coalescer = new ReadCoalescer(connection.input(), settings.readWindow());
      while (!stopping) {
        byte[] frame = frames.readFrame();
        if (frame == null) {
          handOff(batch);
          batch = null;
          enqueue(END_OF_INPUT);
          return;
        }
        if (answeredKeepalive(frame, frames.framesRead())) {
          memory.inFlight().release(frame.length);
        } else {
          batch.add(frame, frames.framesRead());
        }
        boolean drained = !frames.hasBufferedFrame();
        if (batch.size >= batchSize || drained) {
          handOff(batch);
          batch = null; // the handler's now, or released: never released twice
          batch = new Batch(batchSize);
          if (drained) coalescer.awaitMore();
        }
      }
    } catch (IOException e) {
      // A frame error's message says it all; a bare exception (no message) says its class.
      readFailed(batch, e.getMessage() != null ? e.getMessage() : Errors.describe(e));
      batch = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      // Out of memory, say: free what this thread holds before telling the handler.
      if (batch != null) memory.inFlight().release(batch.bytes);
      batch = null;
      String error = "the reader failed: " + Errors.describe(e);
      log.error("{}: {}", label, error, e);
      readFailed(null, error);
    } finally {
      if (batch != null) memory.inFlight().release(batch.bytes);
      if (stopping) releaseQueued();
    }
  }

  /** Hands what was read before a failure to the handler, then the failure. */
  private void readFailed(Batch batch, String message) {
    if (stopping) {
      if (batch != null) memory.inFlight().release(batch.bytes);
      return;
    }
    try {
      // Requests read before the failure are handled before it, as they arrived.
      if (batch != null) handOff(batch);
      enqueue(new ReadFailure(message));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Drops the frames and timer calls queued for the handler, releasing the budget the frames hold
   * (safe from any thread). What ends the handler's loop stays: dropping an abort here, on the
   * reader's way out, before the handler took it, left the handler waiting forever.
   */
  private void releaseQueued() {
    queue.removeIf(
        item -> {
          if (item instanceof Batch batch) {
            memory.inFlight().release(batch.bytes);
            return true;
          }
          return item == TIMER;
        });
  }

  /**
   * Answers the frame at once if it is a keepalive, which every encoder starts with its tag;
   * returns false to queue anything else, including a frame that does not parse (the handler
   * reports it in its turn).
   */
  private boolean answeredKeepalive(byte[] frame, long number) {
    if (frame.length == 0 || frame[0] != KEEPALIVE_TAG) return false;
    Request request;
    try {
      request = FrameReader.parse(Request.parser(), frame, number);
    } catch (FrameException e) {
      return false;
    }
    if (request.getMessageCase() != Request.MessageCase.KEEPALIVE) return false;
    answerKeepalive(request.getKeepalive());
    return true;
  }

  /**
   * Queues a batch if it holds frames; one that cannot be queued (the session stops) is released.
   */
  private void handOff(Batch batch) throws InterruptedException {
    if (batch.size > 0) {
      metrics.queued(batch.size);
      if (!enqueue(batch)) memory.inFlight().release(batch.bytes);
    }
  }

  /**
   * Queues for the handler; gives up (false) if the handler has stopped, so the reader never blocks
   * forever.
   */
  private boolean enqueue(Object item) throws InterruptedException {
    while (!stopping) {
      if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) return true;
    }
    return false;
  }

  private void answerKeepalive(UdfProto.KeepaliveRequest keepalive) {
    Response response =
        Response.newBuilder()
            .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(keepalive.getTime()))
            .build();
    metrics.keepaliveAnswered();
    writer.writeKeepalive(response);
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
      if (item == TIMER) {
        timerQueued.set(false);
        String error = runTimer();
        if (error != null) return error;
        writer.handled(!queue.isEmpty());
        continue;
      }
      if (item instanceof ReadFailure failure) {
        String error = "read error: " + failure.message();
        log.error("{}: {}", label, error);
        metrics.error(ErrorKind.READ);
        sendError(error);
        return error;
      }
      Batch batch = (Batch) item;
      metrics.dequeued(batch.size);
      try {
        String error = handleBatch(batch);
        if (error != null) return error;
      } finally {
        memory.inFlight().release(batch.bytes);
      }
      rememberArrival(null, null);
      writer.handled(!queue.isEmpty());
    }
  }

  /** Handles a batch of frames in order; returns null, or the error the session ends with. */
  private String handleBatch(Batch batch) {
    long started = System.nanoTime();
    for (int i = 0; i < batch.size; i++) {
      byte[] frame = batch.frames[i];
      batch.frames[i] = null; // handled frames are garbage at once, however large
      int pointAt = pointOffset(frame);
      Request request;
      try {
        request = parse(frame, pointAt, batch.numbers[i]);
      } catch (FrameException e) {
        String error = "read error: " + e.getMessage();
        log.error("{}: {}", label, error);
        metrics.error(ErrorKind.READ);
        sendError(error);
        return error;
      } catch (Throwable e) {
        String error =
            "cannot parse frame "
                + batch.numbers[i]
                + " of "
                + frame.length
                + " bytes: "
                + Errors.describe(e);
        log.error("{}: {}", label, error, e);
        metrics.error(ErrorKind.READ);
        sendError(error);
        return error;
      }
      String overLimit = checkBatchLimits(request, frame.length);
      if (overLimit != null) {
        log.error("{}: {}", label, overLimit);
        sendError(overLimit);
        return overLimit;
      }
      requests++;
      metrics.received(request.getMessageCase());
      rememberArrival(pointAt >= 0 ? request : null, frame);
      String what = CALLS.get(request.getMessageCase());
      deadline.started(what);
      try {
        dispatch(request);
      } catch (Throwable e) {
        deadline.finished();
        return callFailed(what, e);
      }
      deadline.finished();
      started = metrics.handled(request.getMessageCase(), started);
      if (holdingRawPoints && openBatch == null) {
        RawPoints.clear(); // the point's call, or its batch, is over
        holdingRawPoints = false;
      }
      if (stopping) return abortReason;
    }
    return null;
  }

  /**
   * Counts a batch's points as they arrive; returns the error that ends the session once the open
   * batch is over a limit, else null. A UDF holds a batch whole until its end, so without a limit
   * one unending batch would take the heap from every session.
   */
  private String checkBatchLimits(Request request, int frameBytes) {
    switch (request.getMessageCase()) {
      case BEGIN -> {
        openBatch = request.getBegin().getName();
        openBatchPoints = 0;
        openBatchBytes = 0;
      }
      case END -> openBatch = null;
      case POINT -> {
        if (openBatch == null) return null;
        openBatchPoints++;
        openBatchBytes += frameBytes;
        if (openBatchPoints > memory.maxBatchPoints()) {
          return "batch '"
              + openBatch
              + "' is over the limit of "
              + memory.maxBatchPoints()
              + " points (-D"
              + MemoryLimits.MAX_BATCH_POINTS_PROPERTY
              + "=N among the UDF's JVM flags, or UdfServer.Builder.maxBatchPoints, raises it)";
        }
        if (openBatchBytes > memory.maxBatchBytes()) {
          return "batch '"
              + openBatch
              + "' is over the limit of "
              + memory.maxBatchBytes()
              + " bytes of points after "
              + openBatchPoints
              + " points (-D"
              + MemoryLimits.MAX_BATCH_BYTES_PROPERTY
              + "=SIZE among the UDF's JVM flags, or UdfServer.Builder.maxBatchBytes, raises it)";
        }
      }
      default -> {}
    }
    return null;
  }

  /** Calls the handler's timer; returns null, or the error the session ends with. */
  private String runTimer() {
    if (stopping) return abortReason;
    deadline.started("timer");
    try {
      handler.timer(sink);
    } catch (Throwable e) {
      deadline.finished();
      return callFailed("timer", e);
    }
    deadline.finished();
    return stopping ? abortReason : null;
  }

  /**
   * The error a handler call's exception ends the session with, after telling Kapacitor: "error
   * processing {@code what}: cause", or the write failure that caused it, or the abort under way.
   */
  private String callFailed(String what, Throwable e) {
    if (stopping) return abortReason;
    IOException failedWrite = writer.failure();
    if (failedWrite != null) {
      log.error("{}: cannot write to Kapacitor: {}", label, failedWrite.getMessage());
      metrics.error(ErrorKind.WRITE);
      return "write error: " + failedWrite.getMessage();
    }
    metrics.error(ErrorKind.HANDLER);
    String error = Errors.cap("error processing " + what + ": " + Errors.describe(e));
    log.error("{}: {}", label, error, e);
    sendError(error);
    return error;
  }

  /** Starts the handler's timer, if it has one: after an Init that succeeded. */
  private void startTimer() {
    Duration period = handler.timerPeriod();
    if (period == null || timer != null) return;
    if (period.isNegative() || period.isZero()) {
      throw new IllegalStateException("handler's timerPeriod() is not positive: " + period);
    }
    timer = SessionTimers.every(period, this::timerDue);
  }

  /**
   * On the timers' thread: queues one timer call unless one is pending; never blocks, never throws
   * (a scheduled task that throws is silently never run again).
   */
  private void timerDue() {
    try {
      if (stopping || !timerQueued.compareAndSet(false, true)) return;
      if (!queue.offer(TIMER))
        timerQueued.set(false); // the queue is full: the handler is busy anyway
    } catch (Throwable e) {
      log.error("{}: queueing a timer call failed", label, e);
    }
  }

  private void dispatch(Request request) throws Exception {
    switch (request.getMessageCase()) {
      case INFO ->
          writer.writeNow(Response.newBuilder().setInfo(required(handler.info(), "info")).build());
      case INIT -> {
        UdfProto.InitRequest init = request.getInit();
        if (!init.getTaskID().isEmpty() || !init.getNodeID().isEmpty()) {
          label = name + " task=" + init.getTaskID() + " node=" + init.getNodeID();
          metrics.named(init.getTaskID(), init.getNodeID());
        }
        UdfProto.InitResponse response = required(handler.init(init), "init");
        if (response.getError().length() > Errors.MAX_MESSAGE_LENGTH) {
          response = response.toBuilder().setError(Errors.cap(response.getError())).build();
        }
        if (!response.getSuccess()) log.warn("{}: init refused: {}", label, response.getError());
        writer.writeNow(Response.newBuilder().setInit(response).build());
        if (response.getSuccess()) {
          taskStarted = true;
          startTimer();
        }
      }
      case SNAPSHOT ->
          writer.writeNow(
              Response.newBuilder().setSnapshot(required(handler.snapshot(), "snapshot")).build());
      case RESTORE -> {
        UdfProto.RestoreResponse response =
            required(handler.restore(request.getRestore()), "restore");
        if (response.getError().length() > Errors.MAX_MESSAGE_LENGTH) {
          response = response.toBuilder().setError(Errors.cap(response.getError())).build();
        }
        if (!response.getSuccess()) log.warn("{}: restore refused: {}", label, response.getError());
        writer.writeNow(Response.newBuilder().setRestore(response).build());
      }
      case BEGIN -> handler.beginBatch(request.getBegin(), sink);
      case POINT -> handler.point(request.getPoint(), sink);
      case END -> handler.endBatch(request.getEnd(), sink);
      case KEEPALIVE -> answerKeepalive(request.getKeepalive());
      case MESSAGE_NOT_SET -> {
        // An empty frame is one: a peer can send them by the million, and each line reaches
        // Kapacitor's log.
        long count = ++unknownRequests;
        if (count <= WARNINGS_IN_FULL || count % 1000 == 0) {
          log.warn(
              "{}: ignoring a request of unknown kind (field numbers {}); {} so far",
              label,
              request.getUnknownFields().asMap().keySet(),
              count);
        }
      }
    }
  }

  private static <T> T required(T response, String method) {
    if (response == null)
      throw new IllegalStateException("handler's " + method + "() returned null");
    return response;
  }

  /**
   * Parses a frame; a point alone in its frame goes through the faster {@link PointDecoder}, which
   * also reads a BeginBatch or EndBatch whose strings are not UTF-8.
   */
  private Request parse(byte[] frame, int pointAt, long number) throws FrameException {
    if (pointAt >= 0) {
      UdfProto.Point point = pointDecoder.decode(frame, pointAt, frame.length);
      if (point != null) {
        if (pointDecoder.hadInvalidUtf8()) {
          RawPoints.hold(point, frame);
          holdingRawPoints = true;
        }
        return Request.newBuilder().setPoint(point).build();
      }
    }
    try {
      return FrameReader.parse(Request.parser(), frame, number);
    } catch (FrameException refused) {
      Request marker = batchMarkerWithInvalidUtf8(frame);
      if (marker == null) throw refused;
      return marker;
    }
  }

  /**
   * A frame that is a BeginBatch or an EndBatch alone, read leniently, if its strings are what made
   * the generated parser refuse it: a batch grouped by a tag whose value is not UTF-8 carries those
   * bytes in its name, group and tags. Null for any other frame, whose error then stands.
   */
  private Request batchMarkerWithInvalidUtf8(byte[] frame) {
    Request request = null;
    int at = messageOffset(frame, BEGIN_TAG);
    if (at >= 0) {
      UdfProto.BeginBatch begin = pointDecoder.decodeBeginBatch(frame, at, frame.length);
      if (begin != null) request = Request.newBuilder().setBegin(begin).build();
    } else if ((at = messageOffset(frame, END_TAG)) >= 0) {
      UdfProto.EndBatch end = pointDecoder.decodeEndBatch(frame, at, frame.length);
      if (end != null) request = Request.newBuilder().setEnd(end).build();
    }
    return request != null && pointDecoder.hadInvalidUtf8() ? request : null;
  }

  /**
   * Keeps a point request's frame while the handler runs, so that a point sent back unchanged (the
   * very object: a filter's output) is written as it arrived instead of encoded again.
   * Request.point and Response.point are both field 17, so the frame is the response's frame byte
   * for byte.
   *
   * @param pointRequest a request whose frame holds its point alone, or null
   */
  private void rememberArrival(Request pointRequest, byte[] frame) {
    arrivedPoint = pointRequest == null ? null : pointRequest.getPoint();
    arrivedFrame = pointRequest == null ? null : frame;
  }

  /**
   * Where the point starts if the frame is field 17 and nothing else ({@code 8a 01 <length>
   * <point>}); -1 otherwise.
   */
  private static int pointOffset(byte[] frame) {
    return messageOffset(frame, POINT_TAG);
  }

  /**
   * Where the message starts if the frame is the field of that tag and nothing else ({@code <tag>
   * 01 <length> <message>}, for Request fields 16 to 31); -1 otherwise.
   */
  private static int messageOffset(byte[] frame, byte tag) {
    if (frame.length < 3 || frame[0] != tag || frame[1] != 0x01) return -1;
    long length = 0;
    int p = 2;
    for (int shift = 0; shift < 35 && p < frame.length; shift += 7) {
      byte b = frame[p++];
      length |= (long) (b & 0x7f) << shift;
      if (b >= 0) return p + length == frame.length ? p : -1;
    }
    return -1;
  }

  private void sendData(Response response) {
    // Checked while the clock runs: a handler that catches the error is still watched.
    writer.validate(response);
    // Time blocked writing to a slow Kapacitor is not the handler's: each response restarts its
    // clock.
    deadline.pause();
    writer.writeData(response, arrivedEncoding(response));
    metrics.emitted(response);
    deadline.resume();
  }

  /** The response's frame as it arrived, if it sends back a point unchanged; null to encode it. */
  private byte[] arrivedEncoding(Response response) {
    if (!response.getUnknownFields().asMap().isEmpty()) return null;
    if (arrivedPoint != null && response.getPoint() == arrivedPoint) return arrivedFrame;
    if (holdingRawPoints && response.hasPoint()) {
      return RawPoints.frameOf(response.getPoint()); // a batch's point, not valid UTF-8, unchanged
    }
    return null;
  }

  /** Sends the session's one ErrorResponse, capped in length; later calls do nothing. */
  private void sendError(String error) {
    try {
      writer.writeError(error);
    } catch (IOException | RuntimeException e) {
      log.debug("{}: could not send the error to Kapacitor: {}", label, e.getMessage());
    }
  }

  private void finish(String error) {
    stopping = true;
    releaseQueued();
    Thread reader = readerThread;
    if (reader != null) reader.interrupt(); // one waiting for room in the budget
    ScheduledFuture<?> scheduled = timer;
    if (scheduled != null) scheduled.cancel(false);
    deadline.unwatch();
    if (holdingRawPoints) RawPoints.clear();
    try {
      handler.close();
    } catch (Throwable e) {
      log.warn("{}: handler close() failed", label, e);
    }
    if (error == null && writer.openBatch() != null) {
      log.error(
          "{}: the handler left batch '{}' open at end of input; Kapacitor discards it",
          label,
          writer.openBatch().getName());
    }
    writer.flush();
    IOException failed = writer.failure();
    if (failed != null && error == null) {
      log.error("{}: responses were not all delivered: {}", label, failed.getMessage());
    }
    try {
      connection.closeOutput();
    } catch (IOException e) {
      log.debug("{}: closing output: {}", label, e.getMessage());
    }
    closeQuietly();
    long responses = writer.responsesWritten();
    // A task's session ending is worth a line; Kapacitor's Info-only start-up connections are not.
    if (taskStarted) {
      log.info(
          "{}: ended after {} requests and {} responses{}",
          label,
          requests,
          responses,
          error == null ? "" : ": " + error);
    } else {
      log.debug("{}: ended ({} requests){}", label, requests, error == null ? "" : ": " + error);
    }
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (IOException e) {
      log.debug("{}: closing: {}", label, e.getMessage());
    }
  }

  static String kind(Request.MessageCase kind) {
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
