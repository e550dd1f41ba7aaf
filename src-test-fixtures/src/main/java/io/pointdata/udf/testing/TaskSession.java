package io.pointdata.udf.testing;

import static io.pointdata.udf.testing.ResponseRules.answerKind;
import static io.pointdata.udf.testing.ResponseRules.describeKind;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pointdata.udf.internal.PointDecoder;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a UDF, driven as Kapacitor's {@code udf/server.go} drives it, in protocol types
 * only: a start-up Info exchange, or a task's Init, data, snapshots and stop.
 *
 * <p>From the moment it opens, the session sends a keepalive every {@code timeout/2} and aborts the
 * UDF after {@code timeout} without any response, as Kapacitor does. A reader thread takes in every
 * response and handles it as Kapacitor's {@code handleResponse} does: management answers are
 * matched to requests by type only; data is converted into {@link Output}s. Whatever would crash or
 * confuse a real Kapacitor is recorded with the reason:
 *
 * <ul>
 *   <li>crashes (kapacitord panics): a response with no message set, an EndBatch without a
 *       BeginBatch, a negative BeginBatch size;
 *   <li>confusion: an answer nobody asked for, data of the edge the UDF's Info does not provide, a
 *       BeginBatch inside an open batch, output ending inside a batch.
 * </ul>
 *
 * A crash or an abort (the UDF's ErrorResponse, a keepalive timeout, a read or write error) ends
 * the session: later calls fail with the reason. Calls that wait (for an answer, an output, the
 * UDF's exit) wait a bounded time, where Kapacitor would often wait forever, and then fail saying
 * so. {@link #stop()} ends the session as Kapacitor does; {@link #close()} also fails if the UDF
 * did not stop cleanly. Failures are {@link AssertionError}s, so a test fails with the reason.
 *
 * <p>Thread-safe. Close it more than once and nothing more happens.
 */
public final class TaskSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskSession.class);
  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** A terminal failure: Kapacitor's own error text, and the explanation a test failure gives. */
  private record Failure(String error, String explanation) {}

  private final String name;
  private final Link link;
  private final Settings settings;
  private final Timers timers;

  /** Serialises writers (the caller, the keepalive ticker): one frame at a time. */
  private final Object writeLock = new Object();

  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private final List<Recording.Frame> frames = new ArrayList<>();

  /** Kapacitor's judgement of each response: answers, outputs, violations, crashes. */
  private final ResponseRules rules;

  private int acknowledgedViolations;
  private Failure failure;
  private boolean failureAcknowledged;
  private long responsesSeen;
  private long lastResponseNanos;
  private boolean udfEof;
  private boolean inputClosed;

  /** Set when this side failed to close the UDF's input: its own fault, never the UDF's. */
  private IOException inputCloseFailure;

  private boolean stopping;
  private StopResult stopResult;
  private Timers.Cancellable ticker;
  private Timers.Cancellable watchdog;

  TaskSession(
      String name, Link link, Settings settings, Timers timers, UdfProto.InfoResponse info) {
    this.name = name;
    this.link = link;
    this.settings = settings;
    this.timers = timers;
    this.rules = new ResponseRules(name, info);
  }

  /** Starts reading and, as Kapacitor does from the moment it connects, the keepalive ticker. */
  void start() {
    Thread reader = new Thread(this::readLoop, "fake-kapacitor-reader " + name);
    reader.setDaemon(true);
    reader.start();
    if (!settings.keepalives()) return;
    long now = timers.nanos();
    synchronized (lock) {
      lastResponseNanos = now;
      ticker = timers.schedule(now + halfTimeout(), this::tick);
      watchdog = timers.schedule(now + settings.timeout().toNanos(), this::watch);
    }
  }

  // ---------------------------------------------------------------- requests

  /** Asks for the UDF's Info and waits for it. */
  public UdfProto.InfoResponse info() {
    return request(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build())
        .getInfo();
  }

  /** Sends Init and waits for the UDF's answer, as Kapacitor's task start does. */
  public UdfProto.InitResponse init(UdfProto.InitRequest init) {
    Objects.requireNonNull(init, "init == null");
    return request(Request.newBuilder().setInit(init).build()).getInit();
  }

  /** Asks for a snapshot and waits for it. Data answers to earlier requests arrive before it. */
  public UdfProto.SnapshotResponse snapshot() {
    return request(
            Request.newBuilder().setSnapshot(UdfProto.SnapshotRequest.getDefaultInstance()).build())
        .getSnapshot();
  }

  /** Sends a snapshot to restore and waits for the answer. Kapacitor sends it right after Init. */
  public UdfProto.RestoreResponse restore(UdfProto.RestoreRequest restore) {
    Objects.requireNonNull(restore, "restore == null");
    return request(Request.newBuilder().setRestore(restore).build()).getRestore();
  }

  /** Sends a keepalive stamped with the clock's time and waits for a keepalive answer. */
  public void keepalive() {
    keepalive(timers.nanos());
  }

  /** Sends a keepalive with the given time and waits for a keepalive answer. */
  public void keepalive(long timeNanos) {
    long before;
    synchronized (lock) {
      before = rules.keepaliveReplies();
    }
    write(keepaliveRequest(timeNanos));
    long deadline = System.nanoTime() + settings.responseWait().toNanos();
    synchronized (lock) {
      while (rules.keepaliveReplies() == before) {
        failIfEnded("while waiting for a keepalive answer");
        if (!waitUntil(deadline)) {
          throw fail(
              new Failure(
                  "no keepalive answer",
                  "no keepalive answer within "
                      + settings.responseWait()
                      + "; Kapacitor aborts a UDF that does not "
                      + "answer within its timeout ("
                      + settings.timeout()
                      + ")"));
        }
      }
    }
  }

  /**
   * Sends any request without waiting: data as Kapacitor writes it, or a management request whose
   * answer is then expected (and not unsolicited) but not awaited.
   */
  public void send(Request request) {
    Objects.requireNonNull(request, "request == null");
    synchronized (lock) {
      rules.expectAnswerTo(request);
    }
    write(request);
  }

  /**
   * Sends a stream point as Kapacitor writes one: dimensions sorted (its group-by keeps them so),
   * the group id computed from name, tags, dimensions and byName; the rest as given.
   */
  public void sendPoint(UdfProto.Point point) {
    Objects.requireNonNull(point, "point == null");
    send(Request.newBuilder().setPoint(Conversions.streamPointIn(point)).build());
  }

  /**
   * Sends a stream point whose message is already encoded, byte for byte, in a frame of its own:
   * for what a point built here cannot hold, such as strings that are not valid UTF-8, which
   * Kapacitor accepts in line protocol and forwards as they are.
   */
  public void sendEncodedPoint(byte[] point) {
    Objects.requireNonNull(point, "point == null");
    ByteString.Output body = ByteString.newOutput(point.length + 8);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(body);
      out.writeByteArray(Request.POINT_FIELD_NUMBER, point);
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    write(body.toByteString().toByteArray(), Request.MessageCase.POINT);
  }

  /**
   * Sends a batch as Kapacitor writes one: BeginBatch (name, group, tags, size, byName), each point
   * with only time, group, tags (the group's included) and fields, then EndBatch (name, group,
   * tmax, tags). The group id is computed from name, sorted tag keys and byName.
   */
  public void sendBatch(
      String name,
      Map<String, String> tags,
      boolean byName,
      long tmax,
      List<UdfProto.Point> points) {
    for (Request r : Conversions.batchRequests(name, tags, byName, tmax, points)) send(r);
  }

  private Response request(Request request) {
    Response.MessageCase kind = answerKind(request);
    synchronized (lock) {
      failIfEnded("before sending " + describeKind(kind) + " request");
      rules.expectAnswerTo(request);
    }
    write(request);
    long deadline = System.nanoTime() + settings.responseWait().toNanos();
    synchronized (lock) {
      while (true) {
        Response answer = rules.takeAnswer(kind);
        if (answer != null) return answer;
        failIfEnded("while waiting for the " + describeKind(kind) + "Response");
        if (!waitUntil(deadline)) {
          String what = describeKind(kind) + "Response";
          throw fail(
              new Failure(
                  "no " + what,
                  "no "
                      + what
                      + " within "
                      + settings.responseWait()
                      + "; Kapacitor has no timeout for it and would "
                      + "wait forever (keepalive answers do not help)"));
        }
      }
    }
  }

  private static Request keepaliveRequest(long timeNanos) {
    return Request.newBuilder()
        .setKeepalive(UdfProto.KeepaliveRequest.newBuilder().setTime(timeNanos))
        .build();
  }

  private void write(Request request) {
    write(request.toByteArray(), request.getMessageCase());
  }

  private void write(byte[] body, Request.MessageCase kind) {
    synchronized (writeLock) {
      synchronized (lock) {
        failIfEnded("before sending " + kind);
        if (inputClosed) throw new IllegalStateException("the UDF's input is already closed");
        record(
            new Recording.Frame(
                Recording.Direction.TO_UDF, timers.nanos(), ByteString.copyFrom(body)));
      }
      try {
        Frames.write(link.output(), body);
      } catch (IOException e) {
        throw fail(
            new Failure(
                "write error: " + e.getMessage(),
                "write error: "
                    + e.getMessage()
                    + " (the UDF no longer reads its input); Kapacitor aborts the UDF"));
      }
    }
  }

  // ---------------------------------------------------------------- outputs

  /** The next output, waiting at most the simulator's output wait. */
  public Output takeOutput() {
    return takeOutput(settings.outputWait());
  }

  /**
   * The next output, waiting at most the given time.
   *
   * @throws AssertionError if none comes in time, the session ended, or the UDF has confused
   *     Kapacitor (a violation nobody expected)
   */
  public Output takeOutput(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (true) {
        failOnViolations();
        Output next = rules.pollOutput();
        if (next != null) return next;
        failIfEnded("while waiting for output");
        if (udfEof) throw new AssertionError("the UDF closed its output; no more output will come");
        if (!waitUntil(deadline)) {
          throw new AssertionError(
              "no output from the UDF within " + wait + rules.describeOpenBatch());
        }
      }
    }
  }

  /** The next output if one has arrived. */
  public Optional<Output> pollOutput() {
    synchronized (lock) {
      return Optional.ofNullable(rules.pollOutput());
    }
  }

  /**
   * Asserts that the UDF has sent, and will send, no output for the requests so far.
   *
   * <p>Waits for a Snapshot answer as a barrier: every agent handles Snapshot in order with the
   * data before it, while some (ours among them) answer keepalives at once, ahead of the output of
   * earlier points. Kapacitor sends snapshots at any time, so a UDF must answer one here too.
   */
  public void assertNoMoreOutput() {
    requireNoOutput();
    snapshot();
    requireNoOutput();
  }

  private void requireNoOutput() {
    synchronized (lock) {
      failOnViolations();
      if (rules.outputCount() > 0) {
        throw new AssertionError(
            "expected no more output, but the UDF sent "
                + rules.outputCount()
                + ", first: "
                + rules.peekOutput());
      }
    }
  }

  // ---------------------------------------------------------------- reading

  private void readLoop() {
    InputStream in = link.input();
    try {
      byte[] body;
      while ((body = Frames.read(in)) != null) {
        Response response;
        try {
          response = parseLikeKapacitor(body);
        } catch (InvalidProtocolBufferException e) {
          synchronized (lock) {
            record(
                new Recording.Frame(
                    Recording.Direction.FROM_UDF, timers.nanos(), ByteString.copyFrom(body)));
          }
          abort(
              new Failure(
                  "read error: " + e.getMessage(),
                  "read error: the UDF sent a frame that is not a Response ("
                      + e.getMessage()
                      + "); Kapacitor aborts it"));
          // Swallow the rest, so that the UDF can finish and exit.
          in.transferTo(java.io.OutputStream.nullOutputStream());
          break;
        }
        handle(body, response);
      }
      synchronized (lock) {
        udfEof = true;
        if (!inputClosed && failure == null) {
          failure =
              new Failure(
                  "the UDF closed its output",
                  "the UDF closed its output while Kapacitor was still using it (before its input"
                      + " was closed)");
          log.warn("{}: {}", name, failure.explanation());
        }
        lock.notifyAll();
      }
    } catch (IOException e) {
      synchronized (lock) {
        boolean expected = inputClosed && (stopping || failure != null);
        if (!expected) {
          String error =
              "read error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName());
          abort(new Failure(error, error + "; Kapacitor aborts the UDF"));
        }
        udfEof = true;
        lock.notifyAll();
      }
    } catch (RuntimeException | Error e) {
      // A fault of this side (a bug, out of memory): say so instead of leaving every wait to time
      // out with no reason.
      log.error("{}: the fake Kapacitor's reader failed", name, e);
      synchronized (lock) {
        String error = "the fake Kapacitor's reader failed (not the UDF's fault): " + e;
        abort(new Failure(error, error));
        udfEof = true;
        lock.notifyAll();
      }
    }
  }

  /**
   * Parses a response as Kapacitor's Go code does, which does not check that strings are UTF-8: a
   * point, BeginBatch or EndBatch the UDF sends with bytes that are not UTF-8 (say, passed through
   * as Kapacitor sent them) is read, its bad sequences as U+FFFD (the recording keeps the bytes).
   */
  private static Response parseLikeKapacitor(byte[] body) throws InvalidProtocolBufferException {
    try {
      return Response.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      Response lenient = readLeniently(body);
      if (lenient == null) throw e;
      return lenient;
    }
  }

  /**
   * A frame holding a point, BeginBatch or EndBatch alone (Response fields 17, 16, 18), read by the
   * agent's lenient decoder; null if it is none of these or the decoder declines it.
   */
  private static Response readLeniently(byte[] body) {
    PointDecoder decoder = new PointDecoder();
    int at;
    if ((at = messageOffset(body, (byte) 0x8a)) >= 0) {
      UdfProto.Point point = decoder.decode(body, at, body.length);
      return point == null ? null : Response.newBuilder().setPoint(point).build();
    }
    if ((at = messageOffset(body, (byte) 0x82)) >= 0) {
      UdfProto.BeginBatch begin = decoder.decodeBeginBatch(body, at, body.length);
      return begin == null ? null : Response.newBuilder().setBegin(begin).build();
    }
    if ((at = messageOffset(body, (byte) 0x92)) >= 0) {
      UdfProto.EndBatch end = decoder.decodeEndBatch(body, at, body.length);
      return end == null ? null : Response.newBuilder().setEnd(end).build();
    }
    return null;
  }

  /**
   * Where the message starts if the frame is the field of that tag and nothing else ({@code <tag>
   * 01 <length> <message>}); else -1.
   */
  private static int messageOffset(byte[] body, byte tag) {
    if (body.length < 3 || body[0] != tag || body[1] != 0x01) return -1;
    try {
      CodedInputStream in = CodedInputStream.newInstance(body, 2, body.length - 2);
      int length = in.readRawVarint32();
      int at = 2 + in.getTotalBytesRead();
      return at + length == body.length ? at : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Kapacitor's handleResponse: the rules judge the response; the session carries out what follows.
   */
  private void handle(byte[] body, Response response) {
    synchronized (lock) {
      record(
          new Recording.Frame(
              Recording.Direction.FROM_UDF, timers.nanos(), ByteString.copyFrom(body)));
      // Any response resets the watchdog.
      lastResponseNanos = timers.nanos();
      responsesSeen++;
      try {
        ResponseRules.Ending ending = rules.accept(response, body.length);
        if (ending == null) return;
        Failure f = new Failure(ending.error(), ending.explanation());
        if (ending.crash()) {
          crash(f);
        } else {
          abort(f);
        }
      } finally {
        lock.notifyAll();
      }
    }
  }

  /**
   * kapacitord is gone: the failure is the crash (already a violation), and the UDF's input ends.
   */
  private void crash(Failure f) {
    if (failure == null) failure = f;
    closeInputLater();
  }

  // ---------------------------------------------------------------- keepalive

  private long halfTimeout() {
    return settings.timeout().toNanos() / 2;
  }

  /** Kapacitor's runKeepalive: a keepalive every timeout/2. */
  private void tick() {
    long before;
    synchronized (lock) {
      if (stopping || failure != null || inputClosed) return;
      before = responsesSeen;
    }
    try {
      write(keepaliveRequest(timers.nanos()));
    } catch (AssertionError | IllegalStateException e) {
      return; // the failure is recorded; nothing more to tick for
    }
    // Under a manual clock the UDF still runs in real time: give it a moment to answer before
    // time moves on, so its answer carries (about) the time of this keepalive.
    if (timers.isManual()) awaitResponseAfter(before, settings.keepaliveReplyGrace());
    synchronized (lock) {
      if (!stopping && failure == null)
        ticker = timers.schedule(timers.nanos() + halfTimeout(), this::tick);
    }
  }

  private void awaitResponseAfter(long seen, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (lock) {
      while (responsesSeen == seen && failure == null && !udfEof) {
        if (!waitUntil(deadline)) return;
      }
    }
  }

  /** Kapacitor's watchKeepalive: abort after timeout with no response at all. */
  private void watch() {
    long last;
    synchronized (lock) {
      if (stopping || failure != null) return;
      last = lastResponseNanos;
      if (timers.nanos() - last < settings.timeout().toNanos()) {
        watchdog = timers.schedule(last + settings.timeout().toNanos(), this::watch);
        return;
      }
    }
    String error = "keepalive timedout, last keepalive received was: " + goTime(last);
    abort(
        new Failure(
            error,
            "no response from the UDF for "
                + settings.timeout()
                + " (the keepalive timeout): "
                + "Kapacitor aborts it: "
                + error));
    // Kapacitor kills the UDF if the abort has not completed within 2 × timeout.
    timers.schedule(
        timers.nanos() + 2 * settings.timeout().toNanos(),
        () -> {
          synchronized (lock) {
            if (udfEof) return;
          }
          log.warn("{}: the UDF did not stop within 2 × timeout of the abort; killing it", name);
          link.kill();
        });
  }

  /** Go's time.Time.String() of time.Unix(0, nanos).UTC(). */
  private static String goTime(long nanos) {
    Instant t = Instant.ofEpochSecond(0, nanos);
    String fraction =
        t.getNano() == 0 ? "" : ("." + String.format("%09d", t.getNano())).replaceAll("0+$", "");
    return GO_TIME.format(t) + fraction + " +0000 UTC";
  }

  // ---------------------------------------------------------------- failures

  /**
   * Records the terminal failure (the first one wins) and ends the UDF's input, as Kapacitor's
   * abort.
   */
  private AssertionError fail(Failure f) {
    abort(f);
    synchronized (lock) {
      return failureError(failure, "");
    }
  }

  private void abort(Failure f) {
    synchronized (lock) {
      if (failure == null) {
        failure = f;
        log.warn("{}: {}", name, f.explanation());
      }
      lock.notifyAll();
    }
    closeInputLater();
  }

  /**
   * Closes the UDF's input off this thread: a writer may hold the stream, and we may be the reader.
   */
  private void closeInputLater() {
    Thread closer = new Thread(this::closeInput, "fake-kapacitor-abort " + name);
    closer.setDaemon(true);
    closer.start();
  }

  private void closeInput() {
    synchronized (lock) {
      if (inputClosed) return;
      inputClosed = true;
      cancelTimers();
    }
    try {
      link.closeOutput();
    } catch (IOException e) {
      log.warn(
          "{}: could not close the UDF's input (a fault of this side, not the UDF's): {}",
          name,
          e.toString());
      synchronized (lock) {
        inputCloseFailure = e;
      }
    }
  }

  private void cancelTimers() {
    if (ticker != null) ticker.cancel();
    if (watchdog != null) watchdog.cancel();
  }

  /** Throws if the session has failed. Call with lock held. */
  private void failIfEnded(String when) {
    if (failure != null) throw failureError(failure, " " + when);
  }

  private void failOnViolations() {
    List<String> violations = rules.violations();
    if (violations.size() > acknowledgedViolations) {
      throw new AssertionError(
          "the UDF confused Kapacitor:\n  - "
              + String.join(
                  "\n  - ", violations.subList(acknowledgedViolations, violations.size())));
    }
  }

  private AssertionError failureError(Failure f, String when) {
    String diagnostics = link.diagnostics();
    return new AssertionError(
        "the UDF session failed"
            + when
            + ": "
            + f.explanation()
            + (diagnostics.isEmpty() ? "" : "\n" + diagnostics));
  }

  /**
   * Waits on lock until the System.nanoTime() deadline; false once it has passed. Call with lock
   * held.
   */
  private boolean waitUntil(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) return false;
    try {
      lock.wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return true;
  }

  /** Kapacitor's error text of the failure that ended the session, if one did. */
  public Optional<String> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure).map(Failure::error);
    }
  }

  /** Everything the UDF did that would crash or confuse Kapacitor, each with its reason. */
  public List<String> violations() {
    synchronized (lock) {
      return List.copyOf(rules.violations());
    }
  }

  /**
   * Waits until the session fails, and returns Kapacitor's error text (for an ErrorResponse, the
   * UDF's message). The failure, and every violation so far, is then expected: {@link #close()} no
   * longer reports them.
   *
   * @throws AssertionError if the session does not fail within the wait
   */
  public String awaitFailure(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (failure == null) {
        if (!waitUntil(deadline))
          throw new AssertionError("the UDF session did not fail within " + wait);
      }
      failureAcknowledged = true;
      acknowledgedViolations = rules.violations().size();
      return failure.error();
    }
  }

  /**
   * Waits until the UDF has confused or crashed Kapacitor, and returns the first unexpected
   * violation's explanation. It and every violation before it are then expected.
   *
   * @throws AssertionError if no new violation happens within the wait
   */
  public String awaitViolation(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      List<String> violations = rules.violations();
      while (violations.size() == acknowledgedViolations) {
        if (!waitUntil(deadline)) {
          throw new AssertionError("the UDF did nothing Kapacitor would object to within " + wait);
        }
      }
      String first = violations.get(acknowledgedViolations);
      acknowledgedViolations = violations.size();
      if (rules.crashed()) failureAcknowledged = true;
      return first;
    }
  }

  /** Keeps a frame for {@link #recording()}, unless the simulator was built not to; under lock. */
  private void record(Recording.Frame frame) {
    if (settings.recordFrames()) frames.add(frame);
  }

  private void requireRecording() {
    if (!settings.recordFrames()) {
      throw new IllegalStateException(
          "this session keeps no frames: its simulator was built with recordFrames(false)");
    }
  }

  /**
   * The frames so far, both directions.
   *
   * @throws IllegalStateException if the simulator was built with {@code recordFrames(false)}
   */
  public Recording recording() {
    synchronized (lock) {
      requireRecording();
      return Recording.of(frames);
    }
  }

  /**
   * Responses received so far, in order, as the UDF sent them.
   *
   * @throws IllegalStateException if the simulator was built with {@code recordFrames(false)}
   */
  public List<Response> responses() {
    synchronized (lock) {
      requireRecording();
      return frames.stream()
          .filter(f -> f.direction() == Recording.Direction.FROM_UDF)
          .map(
              f -> {
                try {
                  return f.response();
                } catch (IllegalStateException e) {
                  return null;
                }
              })
          .filter(Objects::nonNull)
          .toList();
    }
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops as Kapacitor stops a UDF: ends the keepalives, closes the UDF's input, reads its output
   * to EOF, and waits for it to exit, each within the exit wait; a UDF that does not is killed. The
   * result lists every problem of the UDF not already expected. Later calls return the same result
   * (after a throw, one that names this side's fault).
   *
   * @throws UncheckedIOException if this side could not close the UDF's input: the UDF was never
   *     told to stop, so nothing it did after can be held against it
   */
  public StopResult stop() {
    synchronized (lock) {
      if (stopResult != null) return stopResult;
      stopping = true;
      cancelTimers();
    }
    closeInput();
    IOException ownFault;
    synchronized (lock) {
      ownFault = inputCloseFailure;
    }
    if (ownFault != null) {
      link.kill();
      String fault =
          "the fake Kapacitor could not close the UDF's input, so the UDF was never told to stop "
              + "(a fault of this side, not the UDF's): "
              + ownFault;
      synchronized (lock) {
        stopResult = new StopResult(OptionalInt.empty(), List.of(fault), link.diagnostics());
        lock.notifyAll();
      }
      throw new UncheckedIOException(fault, ownFault);
    }
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + settings.exitWait().toNanos();
    boolean eof;
    synchronized (lock) {
      while (!udfEof && waitUntilQuietly(deadline)) {
        // waiting for the UDF to close its output
      }
      eof = udfEof;
    }
    OptionalInt exit = OptionalInt.empty();
    if (!eof) {
      problems.add(
          "the UDF did not close its output within "
              + settings.exitWait()
              + " after its input was "
              + "closed; Kapacitor would wait forever (its start-up, or the task's stop, hangs)");
    } else {
      OptionalInt ended = awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (ended == null) {
        problems.add(
            "the UDF process did not exit within "
                + settings.exitWait()
                + " after its stdin was closed; Kapacitor waits for the exit forever (its start-up,"
                + " or the task's stop, hangs)");
      } else {
        exit = ended;
        if (exit.isPresent() && exit.getAsInt() != 0) {
          problems.add("process exited unexpectedly: exit status " + exit.getAsInt());
        }
      }
    }
    link.kill();
    synchronized (lock) {
      rules.outputEnded();
      List<String> violations = rules.violations();
      List<String> all =
          new ArrayList<>(violations.subList(acknowledgedViolations, violations.size()));
      if (failure != null && !failureAcknowledged && !all.contains(failure.explanation())) {
        all.add(failure.explanation());
      }
      all.addAll(problems);
      stopResult = new StopResult(exit, all, link.diagnostics());
      lock.notifyAll();
      return stopResult;
    }
  }

  private OptionalInt awaitEnd(Duration wait) {
    try {
      return link.awaitEnd(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private boolean waitUntilQuietly(long deadline) {
    try {
      return waitUntil(deadline);
    } catch (AssertionError interrupted) {
      return false;
    }
  }

  /**
   * Stops the session and fails if the UDF did not stop cleanly or troubled Kapacitor in a way the
   * test did not expect.
   *
   * @throws AssertionError listing the problems
   */
  @Override
  public void close() {
    StopResult result = stop();
    if (!result.clean())
      throw new AssertionError("the UDF did not stop cleanly (" + name + "): " + result);
  }

  /** This session's name in logs and messages. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "TaskSession(" + name + ")";
  }
}
