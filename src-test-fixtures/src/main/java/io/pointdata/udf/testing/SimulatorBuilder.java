package io.pointdata.udf.testing;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a simulated Kapacitor, written once for both builders that take them: {@link
 * KapacitorSimulator.Builder} and {@link FakeKapacitor.Builder}. Each setter checks its argument at
 * once, and each is called at most once: a second call fails at that call, naming the value already
 * set.
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

  /** The settings made so far, by setter name: each is made once. */
  private final Set<String> settingsMade = new HashSet<>();

  SimulatorBuilder(UdfTarget target) {
    this.target = Objects.requireNonNull(target, "target == null");
  }

  abstract B self();

  /**
   * Fails if the setting was already made.
   *
   * @throws IllegalStateException naming the setting and its current value
   */
  final void requireNotSet(String setting, Object current) {
    if (settingsMade.contains(setting))
      throw new IllegalStateException(setting + " was already set to " + current);
  }

  /** Records the setting as made; returns this builder. */
  final B made(String setting) {
    settingsMade.add(setting);
    return self();
  }

  /**
   * The UDF's {@code timeout} from kapacitor.conf: a keepalive every half of it, an abort after it
   * passes with no response; default 10 s.
   *
   * @param timeout the timeout
   * @return this builder
   * @throws IllegalArgumentException if not over 1 ms, as Kapacitor's config validation requires
   * @throws IllegalStateException if already set
   */
  public B timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    requireNotSet("timeout", this.timeout);
    if (timeout.compareTo(Duration.ofMillis(1)) <= 0) {
      throw new IllegalArgumentException("timeout must be greater than 1ms, got " + timeout);
    }
    this.timeout = timeout;
    return made("timeout");
  }

  /**
   * Runs keepalives and the watchdog on a manual clock instead of the system's.
   *
   * @param clock the clock, which the test advances
   * @return this builder
   * @throws IllegalStateException if a clock was already set
   */
  public B clock(ManualClock clock) {
    Objects.requireNonNull(clock, "clock == null");
    requireNotSet("clock", this.clock);
    this.clock = clock;
    return made("clock");
  }

  /**
   * Under a manual clock, how long to wait in real time for the answer to each keepalive; default 2
   * s.
   *
   * @param grace the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException if already set
   */
  public B keepaliveReplyGrace(Duration grace) {
    requireNotSet("keepaliveReplyGrace", this.keepaliveReplyGrace);
    this.keepaliveReplyGrace = positive(grace, "grace");
    return made("keepaliveReplyGrace");
  }

  /**
   * How long to wait for the answer to an Info, Init, Snapshot or Restore before failing (Kapacitor
   * waits forever); default 10 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException if already set
   */
  public B responseWait(Duration wait) {
    requireNotSet("responseWait", this.responseWait);
    this.responseWait = positive(wait, "wait");
    return made("responseWait");
  }

  /**
   * How long taking the UDF's next output waits for it; default 5 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException if already set
   */
  public B outputWait(Duration wait) {
    requireNotSet("outputWait", this.outputWait);
    this.outputWait = positive(wait, "wait");
    return made("outputWait");
  }

  /**
   * How long to wait, at stop, for the UDF to close its output and exit (Kapacitor waits forever);
   * default 10 s.
   *
   * @param wait the wait, positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException if already set
   */
  public B exitWait(Duration wait) {
    requireNotSet("exitWait", this.exitWait);
    this.exitWait = positive(wait, "wait");
    return made("exitWait");
  }

  /**
   * How a socket UDF is dialled while its socket is missing or refuses: the first retry interval
   * (then ×1.5 with jitter, as Kapacitor's backoff) and the total budget; default 500 ms and 5 min.
   *
   * @param firstRetry the first interval, positive
   * @param budget the total time to keep trying, not negative
   * @return this builder
   * @throws IllegalArgumentException if firstRetry is not positive or budget is negative
   * @throws IllegalStateException if already set
   */
  public B socketRetry(Duration firstRetry, Duration budget) {
    requireNotSet("socketRetry", this.firstRetry + " and " + retryBudget);
    positive(firstRetry, "firstRetry");
    Objects.requireNonNull(budget, "budget == null");
    if (budget.isNegative()) throw new IllegalArgumentException("budget < 0: " + budget);
    this.firstRetry = firstRetry;
    this.retryBudget = budget;
    return made("socketRetry");
  }

  /**
   * The task id sent in Init; default {@code test_task}.
   *
   * @param taskId the id
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public B taskId(String taskId) {
    Objects.requireNonNull(taskId, "taskId == null");
    requireNotSet("taskId", this.taskId);
    this.taskId = taskId;
    return made("taskId");
  }

  /**
   * The node id sent in Init; default {@code udf1}.
   *
   * @param nodeId the id
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public B nodeId(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId == null");
    requireNotSet("nodeId", this.nodeId);
    this.nodeId = nodeId;
    return made("nodeId");
  }

  /**
   * The UDF's name in logs and session names; default {@code udf}.
   *
   * @param name the name
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public B name(String name) {
    Objects.requireNonNull(name, "name == null");
    requireNotSet("name", this.name);
    this.name = name;
    return made("name");
  }

  /**
   * Whether each session keeps every frame it sends and receives, for {@link
   * TaskSession#recording()} and {@link TaskSession#responses()}; default true. Turn it off for
   * long runs, whose memory would otherwise grow with every point. Checks, outputs and failures
   * work the same either way.
   *
   * @param record whether to keep the frames
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public B recordFrames(boolean record) {
    requireNotSet("recordFrames", recordFrames);
    this.recordFrames = record;
    return made("recordFrames");
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
