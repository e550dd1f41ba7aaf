package io.pointdata.udf.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a simulated Kapacitor, written once for both builders that take them: {@link
 * KapacitorSimulator.Builder} and {@link FakeKapacitor.Builder}. Each setter checks its argument at
 * once.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
abstract class SimulatorBuilder<B extends SimulatorBuilder<B>> {
  final UdfTarget target;
  private Duration timeout = Duration.ofSeconds(10);
  private ManualClock clock;
  private Duration keepaliveReplyGrace = Duration.ofSeconds(2);
  private Duration responseWait = Duration.ofSeconds(10);
  private Duration outputWait = Duration.ofSeconds(5);
  private Duration exitWait = Duration.ofSeconds(10);
  private Duration firstRetry = Duration.ofMillis(500);
  private Duration retryBudget = Duration.ofMinutes(5);
  private String taskId = "test_task";
  private String nodeId = "udf1";
  private String name = "udf";
  private boolean recordFrames = true;

  SimulatorBuilder(UdfTarget target) {
    this.target = Objects.requireNonNull(target, "target == null");
  }

  abstract B self();

  /**
   * The UDF's {@code timeout} from kapacitor.conf: a keepalive every half of it, an abort after it
   * passes with no response; default 10 s.
   *
   * @param timeout the timeout
   * @return this builder
   * @throws IllegalArgumentException if not over 1 ms, as Kapacitor's config validation requires
   */
  public B timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.compareTo(Duration.ofMillis(1)) <= 0) {
      throw new IllegalArgumentException("timeout must be greater than 1ms, got " + timeout);
    }
    this.timeout = timeout;
    return self();
  }

  /**
   * Runs keepalives and the watchdog on a manual clock instead of the system's.
   *
   * @param clock the clock, which the test advances
   * @return this builder
   */
  public B clock(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    return self();
  }

  /**
   * Under a manual clock, how long to wait in real time for the answer to each keepalive; default 2
   * s.
   *
   * @param grace the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B keepaliveReplyGrace(Duration grace) {
    this.keepaliveReplyGrace = positive(grace, "grace");
    return self();
  }

  /**
   * How long to wait for the answer to an Info, Init, Snapshot or Restore before failing (Kapacitor
   * waits forever); default 10 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B responseWait(Duration wait) {
    this.responseWait = positive(wait, "wait");
    return self();
  }

  /**
   * How long taking the UDF's next output waits for it; default 5 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B outputWait(Duration wait) {
    this.outputWait = positive(wait, "wait");
    return self();
  }

  /**
   * How long to wait, at stop, for the UDF to close its output and exit (Kapacitor waits forever);
   * default 10 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B exitWait(Duration wait) {
    this.exitWait = positive(wait, "wait");
    return self();
  }

  /**
   * How a socket UDF is dialled while its socket is missing or refuses: the first retry interval
   * (then ×1.5 with jitter, as Kapacitor's backoff) and the total budget; default 500 ms and 5 min.
   *
   * @param firstRetry the first interval, positive
   * @param budget the total time to keep trying, not negative
   * @return this builder
   * @throws IllegalArgumentException if firstRetry is not positive or budget is negative
   */
  public B socketRetry(Duration firstRetry, Duration budget) {
    this.firstRetry = positive(firstRetry, "firstRetry");
    Objects.requireNonNull(budget, "budget == null");
    if (budget.isNegative()) throw new IllegalArgumentException("budget < 0: " + budget);
    this.retryBudget = budget;
    return self();
  }

  /**
   * The task id sent in Init; default {@code test_task}.
   *
   * @param taskId the id
   * @return this builder
   */
  public B taskId(String taskId) {
    this.taskId = Objects.requireNonNull(taskId, "taskId == null");
    return self();
  }

  /**
   * The node id sent in Init; default {@code udf1}.
   *
   * @param nodeId the id
   * @return this builder
   */
  public B nodeId(String nodeId) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId == null");
    return self();
  }

  /**
   * The UDF's name in logs and session names; default {@code udf}.
   *
   * @param name the name
   * @return this builder
   */
  public B name(String name) {
    this.name = Objects.requireNonNull(name, "name == null");
    return self();
  }

  /**
   * Whether each session keeps every frame it sends and receives, for {@link
   * TaskSession#recording()} and {@link TaskSession#responses()}; default true. Turn it off for
   * long runs, whose memory would otherwise grow with every point. Checks, outputs and failures
   * work the same either way.
   *
   * @param record whether to keep the frames
   * @return this builder
   */
  public B recordFrames(boolean record) {
    this.recordFrames = record;
    return self();
  }

  Settings settings() {
    return new Settings(
        timeout,
        true,
        keepaliveReplyGrace,
        responseWait,
        outputWait,
        exitWait,
        firstRetry,
        retryBudget,
        taskId,
        nodeId,
        recordFrames);
  }

  ManualClock clock() {
    return clock;
  }

  String name() {
    return name;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what + " == null");
    if (d.isNegative() || d.isZero())
      throw new IllegalArgumentException(what + " must be positive: " + d);
    return d;
  }
}
