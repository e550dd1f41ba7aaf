package io.pointdata.udf.testing;

import com.google.protobuf.ByteString;
import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.conformance.DataChecks;
import io.pointdata.udf.testing.conformance.Feed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A scriptable Kapacitor for testing a UDF without one: it talks the real protocol to the UDF, over
 * pipes to an agent in this JVM, to a process, or to a socket, and behaves as Kapacitor does.
 *
 * <pre>{@code
 * try (FakeKapacitor k = FakeKapacitor.forUdf(Threshold::new)) {
 *   k.init(Map.of("field", "usage"));
 *   k.send(Point.named("cpu").field("usage", 95.0).build());
 *   assertEquals(95.0, k.takePoint().doubleField("usage"));
 *   k.assertNoMorePoints();
 * }
 * }</pre>
 *
 * <p>{@link #init} first runs Kapacitor's start-up Info exchange with a throw-away instance (which
 * must then stop cleanly), checks the options against the Info as {@code kapacitor define} does,
 * and opens the task's session: Init, then data. Points are sent shaped as Kapacitor sends them
 * (group ids computed, batch points stripped to time, tags and fields), and what comes back is
 * converted as Kapacitor converts it. Anything that would crash or confuse Kapacitor fails the test
 * with the reason, at the next call or at {@link #close()}. Waits are bounded: {@link #takePoint()}
 * fails after the output wait (5 s by default) rather than hang.
 *
 * <p>With {@link FakeKapacitorExtension} a test gets a fresh one as a parameter and needs no
 * try-with-resources. For the protocol-level view, see {@link #session()}.
 *
 * <p>Meant for one test thread. {@link #close()} may be called more than once.
 */
public final class FakeKapacitor implements AutoCloseable {
  private static final Duration FAILURE_WAIT = Duration.ofSeconds(10);

  /**
   * Pipelined runs per {@link #assertSameOutputWhenPipelined}: an agent's race at end of input may
   * lose nothing in one.
   */
  private static final int PIPELINED_RUNS = 3;

  /** Where {@link #assertStateSurvivesRestore} cuts the input, those below its size. */
  private static final int[] RESTORE_CUTS = {1, 2, 7};

  private final KapacitorSimulator simulator;
  private final boolean deterministic;
  private TaskSession session;

  /** The options the task was started with, for the data checks' new tasks. */
  private TickOptions options;

  private boolean closed;

  private FakeKapacitor(KapacitorSimulator simulator, boolean deterministic) {
    this.simulator = simulator;
    this.deterministic = deterministic;
  }

  /** A fake Kapacitor for a UDF run in this JVM, with default settings. */
  public static FakeKapacitor forUdf(Supplier<? extends Udf> udf) {
    return builder(UdfTarget.inJvm(udf)).build();
  }

  /** A builder for a fake Kapacitor of the given UDF. */
  public static Builder builder(UdfTarget target) {
    return new Builder(target);
  }

  /** The UDF's Info, from Kapacitor's start-up session (run on first use). */
  public UdfProto.InfoResponse info() {
    requireOpen();
    return simulator.requireInfo();
  }

  // ---------------------------------------------------------------- init

  /**
   * Starts the task with these options (see {@link TickOptions#of(Map)}) and fails the test unless
   * Kapacitor and the UDF accept them.
   */
  public FakeKapacitor init(Map<String, ?> options) {
    return init(TickOptions.of(options));
  }

  /**
   * Starts the task with options written as in a TICKscript: {@code ".field('usage').size(10)"}.
   */
  public FakeKapacitor init(String tickscript) {
    return init(TickOptions.parse(tickscript));
  }

  /**
   * Starts the task with these options and fails the test unless Kapacitor and the UDF accept them.
   *
   * @throws IllegalStateException if the task is already running
   */
  public FakeKapacitor init(TickOptions options) {
    InitResult result = tryInit(options);
    if (!result.success()) {
      throw new AssertionError(
          result.rejectedAtDefine()
              ? "kapacitor define would refuse the options " + options + ": " + result.error()
              : "the UDF refused the options " + options + ": " + result.kapacitorError());
    }
    return this;
  }

  /** Tries to start the task with these options (see {@link TickOptions#of(Map)}). */
  public InitResult tryInit(Map<String, ?> options) {
    return tryInit(TickOptions.of(options));
  }

  /** Tries to start the task with options written as in a TICKscript. */
  public InitResult tryInit(String tickscript) {
    return tryInit(TickOptions.parse(tickscript));
  }

  /**
   * Tries to start the task: checks the options as {@code kapacitor define} does, then opens the
   * task's session and sends Init. When either refuses, the result says why; a UDF that refused
   * must still stop cleanly, and the task can be tried again.
   *
   * @throws IllegalStateException if the task is already running
   * @throws AssertionError if the UDF fails in a way Kapacitor would not survive or never answers
   */
  public InitResult tryInit(TickOptions options) {
    Objects.requireNonNull(options, "options == null");
    requireOpen();
    if (session != null)
      throw new IllegalStateException("the task is already running; init once per test");
    Optional<String> defineError = simulator.define(options);
    if (defineError.isPresent()) return InitResult.undefined(defineError.get());
    TaskSession task = simulator.open();
    UdfProto.InitResponse response;
    try {
      response = task.init(simulator.initRequest(options));
    } catch (AssertionError e) {
      task.stop();
      throw e;
    }
    if (response.getSuccess()) {
      session = task;
      this.options = options;
      return InitResult.accepted();
    }
    // Kapacitor fails the node and stops the UDF; it must stop cleanly all the same.
    task.close();
    return InitResult.refused(response.getError());
  }

  /**
   * Sends a snapshot to restore, as Kapacitor does right after Init when the task has one, and
   * fails the test if the UDF refuses it.
   */
  public FakeKapacitor restore(byte[] snapshot) {
    Optional<String> error = tryRestore(snapshot);
    if (error.isPresent()) throw new AssertionError("error restoring snapshot: " + error.get());
    return this;
  }

  /** Sends a snapshot to restore; returns the UDF's error if it refuses it. */
  public Optional<String> tryRestore(byte[] snapshot) {
    Objects.requireNonNull(snapshot, "snapshot == null");
    UdfProto.RestoreResponse response =
        task()
            .restore(
                UdfProto.RestoreRequest.newBuilder()
                    .setSnapshot(ByteString.copyFrom(snapshot))
                    .build());
    return response.getSuccess() ? Optional.empty() : Optional.of(response.getError());
  }

  /** Asks for the UDF's snapshot, as Kapacitor's periodic snapshotter does. */
  public byte[] snapshot() {
    return task().snapshot().getSnapshot().toByteArray();
  }

  // ---------------------------------------------------------------- data

  /**
   * Sends a stream point with every attribute it has, its dimensions sorted and its group id
   * computed from name, tags, dimensions and byName, as Kapacitor's are (a group set on the point
   * is replaced).
   *
   * @throws IllegalStateException if the UDF wants batches: Kapacitor would refuse a stream into it
   */
  public FakeKapacitor send(Point point) {
    Objects.requireNonNull(point, "point == null");
    requireWants(UdfProto.EdgeType.STREAM, "send(Point)", "sendBatch(Batch)");
    task().sendPoint(Protocol.toProto(point));
    return this;
  }

  /**
   * Sends a stream point given as its encoded {@code Point} message, byte for byte: for bytes a
   * {@link Point} cannot hold, such as a tag or string field that is not valid UTF-8, which
   * Kapacitor accepts in line protocol and forwards unchanged. Nothing is recomputed (group,
   * dimensions): the bytes go as they are. The frames sent and received are in {@link
   * #recording()}.
   */
  public FakeKapacitor sendEncoded(byte[] point) {
    Objects.requireNonNull(point, "point == null");
    requireWants(UdfProto.EdgeType.STREAM, "sendEncoded(byte[])", "sendBatch(Batch)");
    task().sendEncodedPoint(point.clone());
    return this;
  }

  /** Sends stream points in order. */
  public FakeKapacitor sendAll(Collection<Point> points) {
    Objects.requireNonNull(points, "points == null").forEach(this::send);
    return this;
  }

  /**
   * Sends a batch as Kapacitor does: BeginBatch (name, group, tags, size, byName), each point with
   * only time, group, tags (the batch's included) and fields, then EndBatch (name, group, tmax,
   * tags). The group id is computed from name, sorted tag keys and byName. A tmax of 0 is taken as
   * the latest point time.
   *
   * @throws IllegalStateException if the UDF wants a stream: Kapacitor would refuse batches into it
   */
  public FakeKapacitor sendBatch(Batch batch) {
    Objects.requireNonNull(batch, "batch == null");
    requireWants(UdfProto.EdgeType.BATCH, "sendBatch(Batch)", "send(Point)");
    task()
        .sendBatch(
            batch.name(),
            batch.tags(),
            batch.byName(),
            tmaxOf(batch),
            batch.points().stream().map(Protocol::toProto).toList());
    return this;
  }

  /** The batch's tmax, or its latest point time when it has none. */
  static long tmaxOf(Batch batch) {
    return batch.tmax() != 0
        ? batch.tmax()
        : batch.points().stream().mapToLong(Point::time).max().orElse(0);
  }

  /**
   * The next stream point the UDF sent, as Kapacitor sees it (group recomputed, fields merged).
   *
   * @throws AssertionError if none comes within the output wait, the UDF sent a batch instead, or
   *     the session failed
   */
  public Point takePoint() {
    Output output = task().takeOutput();
    if (output instanceof Output.StreamPoint p) return Protocol.point(p.point());
    throw new AssertionError("expected a stream point, but the UDF sent a batch: " + output);
  }

  /** The next {@code n} stream points. */
  public List<Point> takePoints(int n) {
    if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
    List<Point> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) points.add(takePoint());
    return points;
  }

  /**
   * The next batch the UDF sent, as Kapacitor assembles it: name, tags and tmax from its EndBatch,
   * byName from its BeginBatch, the group recomputed; points with time, tags and fields only.
   *
   * @throws AssertionError if none comes within the output wait, the UDF sent a point instead, or
   *     the session failed
   */
  public Batch takeBatch() {
    Output output = task().takeOutput();
    if (output instanceof Output.Batch b) {
      return Batch.named(b.name())
          .group(b.group())
          .tags(b.tags())
          .byName(b.byName())
          .tmax(b.tmax())
          .points(b.points().stream().map(Protocol::point).toList())
          .build();
    }
    throw new AssertionError("expected a batch, but the UDF sent a stream point: " + output);
  }

  /**
   * Asserts that the UDF sent no more output (points or batches) for what it was sent so far. It
   * waits for a Snapshot answer, which every agent gives in order after the output of earlier
   * requests, so no sleep is needed.
   */
  public void assertNoMorePoints() {
    task().assertNoMoreOutput();
  }

  /** Sends a keepalive now and waits for the answer. */
  public FakeKapacitor keepalive() {
    task().keepalive();
    return this;
  }

  // ---------------------------------------------------------------- data checks

  /**
   * Fails unless the UDF gives the same output for these points however Kapacitor paces them: in
   * new tasks with the options of {@link #init}, once paced (each point after the answers to the
   * one before, a Snapshot request as the barrier) and three times pipelined as Kapacitor writes
   * (back to back, then the input closed at once, then read to the end). An agent that closes its
   * side at end of input before writing the answers it holds loses them only when pipelined. The
   * task of this test is left as it is.
   *
   * @throws AssertionError naming what the pipelined runs lost, or where the outputs differ
   * @throws IllegalStateException before {@link #init}
   * @throws IllegalArgumentException with fewer than two points
   */
  public void assertSameOutputWhenPipelined(List<Point> points) {
    check(dataChecks(Feed.points(protos(points))).sameOutputWhenPipelined(PIPELINED_RUNS));
  }

  /** As {@link #assertSameOutputWhenPipelined}, for a UDF that wants batches. */
  public void assertSameOutputWhenPipelinedBatches(List<Batch> batches) {
    check(dataChecks(Feed.batches(feedBatches(batches))).sameOutputWhenPipelined(PIPELINED_RUNS));
  }

  /**
   * Fails unless the UDF's state survives a snapshot and restore mid-stream, as Kapacitor takes one
   * periodically and restores it when the task starts again: in new tasks with the options of
   * {@link #init}, the output of all the points uninterrupted must equal, for cuts after 1, 2 and 7
   * points (those below their number), the output of points 1..k, a Snapshot, the task stopped,
   * then a new task, Init, Restore of that snapshot and the rest. The task of this test is left as
   * it is.
   *
   * @throws AssertionError with the first output that differs, or the outputs lost
   * @throws IllegalStateException before {@link #init}
   * @throws IllegalArgumentException with fewer than two points
   */
  public void assertStateSurvivesRestore(List<Point> points) {
    check(dataChecks(Feed.points(protos(points))).stateSurvivesRestore(RESTORE_CUTS));
  }

  /** As {@link #assertStateSurvivesRestore}, for a UDF that wants batches, cut between batches. */
  public void assertStateSurvivesRestoreBatches(List<Batch> batches) {
    check(dataChecks(Feed.batches(feedBatches(batches))).stateSurvivesRestore(RESTORE_CUTS));
  }

  private DataChecks dataChecks(Feed feed) {
    requireOpen();
    if (options == null) {
      throw new IllegalStateException(
          "the task is not running: call init first (the checks start new tasks with "
              + "its options)");
    }
    return new DataChecks(simulator, simulator.initRequest(options), feed, deterministic);
  }

  private static List<UdfProto.Point> protos(List<Point> points) {
    return Objects.requireNonNull(points, "points == null").stream()
        .map(Protocol::toProto)
        .toList();
  }

  private static List<Feed.Batch> feedBatches(List<Batch> batches) {
    return Objects.requireNonNull(batches, "batches == null").stream()
        .map(
            b ->
                new Feed.Batch(
                    b.name(),
                    b.tags(),
                    b.byName(),
                    tmaxOf(b),
                    b.points().stream().map(Protocol::toProto).toList()))
        .toList();
  }

  private static void check(DataChecks.Result result) {
    if (!result.passed()) throw new AssertionError(result.detail());
  }

  // ---------------------------------------------------------------- failures, clock, stop

  /**
   * Waits until the task's session fails (the UDF's ErrorResponse, a keepalive timeout, a crash)
   * and returns Kapacitor's error; the failure is then expected and {@link #close()} does not
   * report it.
   */
  public String awaitFailure() {
    return task().awaitFailure(FAILURE_WAIT);
  }

  /**
   * Waits until the UDF does something that would crash or confuse Kapacitor and returns the
   * reason; it is then expected and {@link #close()} does not report it.
   */
  public String awaitViolation() {
    return task().awaitViolation(FAILURE_WAIT);
  }

  /**
   * The manual clock keepalives run on.
   *
   * @throws IllegalStateException if this fake runs on the system clock
   */
  public ManualClock clock() {
    return simulator
        .clock()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "this FakeKapacitor runs on the system clock; build it with manualClock()"));
  }

  /**
   * The task's session, at the protocol level. @throws IllegalStateException before {@link #init}
   */
  public TaskSession session() {
    return task();
  }

  /** The simulator behind this fake. */
  public KapacitorSimulator simulator() {
    return simulator;
  }

  /** The task session's frames so far, both directions. */
  public Recording recording() {
    return task().recording();
  }

  /**
   * Stops the task as Kapacitor does (closes the UDF's input, reads to EOF, waits for the exit) and
   * returns how it went, without failing.
   */
  public StopResult stop() {
    return task().stop();
  }

  /**
   * Stops the task and fails if the UDF did not stop cleanly or troubled Kapacitor in a way the
   * test did not expect.
   *
   * @throws AssertionError listing the problems
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      if (session != null) session.close();
    } finally {
      simulator.close();
    }
  }

  private TaskSession task() {
    requireOpen();
    if (session == null)
      throw new IllegalStateException("the task is not running: call init first");
    return session;
  }

  private void requireOpen() {
    if (closed) throw new IllegalStateException("this FakeKapacitor is closed");
  }

  private void requireWants(UdfProto.EdgeType edge, String call, String instead) {
    UdfProto.EdgeType wants = info().getWants();
    if (wants != edge) {
      throw new IllegalStateException(
          "the UDF wants "
              + (wants == UdfProto.EdgeType.BATCH ? "batches" : "a stream")
              + " (its Info says wants="
              + wants
              + "), so Kapacitor would not let a TICKscript feed it through "
              + call
              + "; use "
              + instead);
    }
  }

  /** Builds a {@link FakeKapacitor}; each setter checks its argument at once. */
  public static final class Builder extends SimulatorBuilder<Builder> {
    private boolean deterministic = true;

    private Builder(UdfTarget target) {
      super(target);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Runs keepalives on a new {@link ManualClock}, reachable through {@link
     * FakeKapacitor#clock()}.
     *
     * @return this builder
     * @throws IllegalStateException if a clock was already set
     */
    public Builder manualClock() {
      return clock(new ManualClock());
    }

    /**
     * Declares that the UDF's output is not a function of its input (it stamps wall-clock time,
     * samples at random): the data checks then compare counts of outputs, not the outputs.
     *
     * @return this builder
     * @throws IllegalStateException if already declared
     */
    public Builder nondeterministic() {
      if (!deterministic) throw new IllegalStateException("nondeterministic() was already called");
      deterministic = false;
      return this;
    }

    /**
     * Builds the fake.
     *
     * @return a new fake Kapacitor
     */
    public FakeKapacitor build() {
      return new FakeKapacitor(new KapacitorSimulator(this), deterministic);
    }
  }
}
