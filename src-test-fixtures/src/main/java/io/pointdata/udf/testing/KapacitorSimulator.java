package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kapacitor's side of the UDF protocol, for one configured UDF, in protocol types only: so it can
 * test an agent written in any language.
 *
 * <pre>{@code
 * try (KapacitorSimulator kapacitor = KapacitorSimulator.builder(UdfTarget.process(command)).build()) {
 *   UdfProto.InfoResponse info = kapacitor.startup();          // Info-only session, then close
 *   try (TaskSession task = kapacitor.open()) {                 // one task node
 *     task.init(kapacitor.initRequest(TickOptions.parse(".field('value')")));
 *     task.send(...);
 *     task.takeOutput();
 *   }                                                           // fails if the UDF did not stop cleanly
 * }
 * }</pre>
 *
 * <p>Like Kapacitor, it opens a new connection per session (a process, a socket connection, or an
 * in-JVM agent), caches the Info from the start-up session, and checks options against that Info
 * before any Init is sent. Thread-safe; {@link #close()} stops sessions still open and may be
 * called more than once.
 */
public final class KapacitorSimulator implements AutoCloseable {
  private final UdfTarget target;
  private final Settings settings;
  private final Timers timers;
  private final SystemTimers ownTimers;
  private final ManualClock clock;
  private final String name;
  private final AtomicInteger sessionIds = new AtomicInteger();
  private final List<TaskSession> sessions = new CopyOnWriteArrayList<>();
  private volatile UdfProto.InfoResponse info;

  private KapacitorSimulator(Builder b) {
    this.target = b.target;
    this.settings = new Settings(b.timeout, true, b.keepaliveReplyGrace, b.responseWait, b.outputWait,
        b.exitWait, b.firstRetry, b.retryBudget, b.taskId, b.nodeId, b.recordFrames);
    this.clock = b.clock;
    this.name = b.name;
    if (clock != null) {
      this.timers = clock.timers();
      this.ownTimers = null;
    } else {
      this.ownTimers = new SystemTimers(name);
      this.timers = ownTimers;
    }
  }

  /** A builder for a simulator of the given UDF. */
  public static Builder builder(UdfTarget target) {
    return new Builder(Objects.requireNonNull(target, "target == null"));
  }

  /**
   * Runs Kapacitor's start-up for this UDF: a throw-away session that asks only for Info, then
   * closes the UDF's input and requires it to close its output and (a process) exit with status 0.
   * The Info is cached for checking options, as kapacitord caches it.
   *
   * @throws AssertionError if the UDF does not answer, or does not stop cleanly
   */
  public UdfProto.InfoResponse startup() {
    TaskSession session = openSession("startup", null, settings);
    UdfProto.InfoResponse answer;
    try {
      answer = session.info();
    } catch (AssertionError e) {
      session.stop();
      throw new AssertionError("failed to load process info for the UDF (kapacitord would not start): "
          + e.getMessage(), e);
    }
    session.close();
    info = answer;
    return answer;
  }

  /** The Info from the start-up session, once it has run. */
  public Optional<UdfProto.InfoResponse> info() {
    return Optional.ofNullable(info);
  }

  /** The cached Info, running the start-up session first if it has not run. */
  UdfProto.InfoResponse requireInfo() {
    UdfProto.InfoResponse cached = info;
    return cached != null ? cached : startup();
  }

  /**
   * Checks options as {@code kapacitor define} does, against the UDF's Info (running the start-up
   * session first if needed).
   *
   * @return Kapacitor's error for the first call it refuses, or empty if it accepts them
   */
  public Optional<String> define(TickOptions options) {
    Objects.requireNonNull(options, "options == null");
    return Optional.ofNullable(DefineCheck.error(requireInfo(), options));
  }

  /**
   * The Init Kapacitor sends for these options: one Option per call, in call order, with the
   * simulator's task and node ids. Options are not checked; see {@link #define}.
   */
  public UdfProto.InitRequest initRequest(TickOptions options) {
    return UdfProto.InitRequest.newBuilder()
        .addAllOptions(options.toInitOptions())
        .setTaskID(settings.taskId())
        .setNodeID(settings.nodeId())
        .build();
  }

  /**
   * Opens a session for one task node, as Kapacitor's task start does: a new process, socket
   * connection or in-JVM agent, with keepalives running. Output is checked against the Info from
   * the start-up session, if it has run.
   *
   * @throws AssertionError if the UDF cannot be started or reached
   */
  public TaskSession open() {
    return openSession("task", info, settings);
  }

  private TaskSession openSession(String kind, UdfProto.InfoResponse known, Settings with) {
    String sessionName = name + "/" + kind + "-" + sessionIds.incrementAndGet();
    Link link;
    try {
      link = target.open(sessionName, with.firstRetry(), with.retryBudget());
    } catch (IOException e) {
      throw new AssertionError("cannot open the UDF (" + target + "): " + e.getMessage(), e);
    }
    TaskSession session = new TaskSession(sessionName, link, with, timers, known);
    sessions.add(session);
    session.start();
    return session;
  }

  /**
   * Replays a recorded session against the UDF: sends each recorded request in order (waiting for
   * the answer to each Info, Init, Snapshot, Restore and keepalive, as Kapacitor waits), closes the
   * UDF's input, and compares what the UDF sent with what the recording says. No keepalives of
   * its own are sent: the recorded ones are.
   */
  public ReplayResult replay(Recording recording) {
    Objects.requireNonNull(recording, "recording == null");
    TaskSession session = openSession("replay", null, settings.forReplay());
    try {
      for (Request request : recording.requests()) {
        switch (request.getMessageCase()) {
          case INFO -> session.info();
          case INIT -> session.init(request.getInit());
          case SNAPSHOT -> session.snapshot();
          case RESTORE -> session.restore(request.getRestore());
          case KEEPALIVE -> session.keepalive(request.getKeepalive().getTime());
          default -> session.send(request);
        }
      }
    } catch (AssertionError e) {
      StopResult stop = session.stop();
      List<String> problems = new ArrayList<>(stop.problems());
      problems.add(0, e.getMessage());
      return new ReplayResult(recording.responses(), session.responses(),
          new StopResult(stop.exitStatus(), problems, stop.diagnostics()));
    }
    StopResult stop = session.stop();
    return new ReplayResult(recording.responses(), session.responses(), stop);
  }

  /** The manual clock this simulator runs on, if it was given one. */
  public Optional<ManualClock> clock() {
    return Optional.ofNullable(clock);
  }

  /** Stops every session still open (without failing) and releases the timers. */
  @Override
  public void close() {
    for (TaskSession s : sessions) s.stop();
    sessions.clear();
    if (ownTimers != null) ownTimers.close();
  }

  @Override
  public String toString() {
    return "KapacitorSimulator(" + target + ")";
  }

  /** Builds a {@link KapacitorSimulator}; each setter checks its argument at once. */
  public static final class Builder {
    private final UdfTarget target;
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

    private Builder(UdfTarget target) {
      this.target = target;
    }

    /**
     * The UDF's {@code timeout} from kapacitor.conf: a keepalive every half of it, an abort after
     * it passes with no response; default 10 s.
     *
     * @throws IllegalArgumentException if not over 1 ms, as Kapacitor's config validation requires
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.compareTo(Duration.ofMillis(1)) <= 0) {
        throw new IllegalArgumentException("timeout must be greater than 1ms, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Runs keepalives and the watchdog on a manual clock instead of the system's. */
    public Builder clock(ManualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Under a manual clock, how long to wait in real time for the answer to each keepalive; default 2 s. */
    public Builder keepaliveReplyGrace(Duration grace) {
      this.keepaliveReplyGrace = positive(grace, "grace");
      return this;
    }

    /**
     * How long to wait for the answer to an Info, Init, Snapshot or Restore before failing (Kapacitor
     * waits forever); default 10 s.
     */
    public Builder responseWait(Duration wait) {
      this.responseWait = positive(wait, "wait");
      return this;
    }

    /** How long {@link TaskSession#takeOutput()} waits for output; default 5 s. */
    public Builder outputWait(Duration wait) {
      this.outputWait = positive(wait, "wait");
      return this;
    }

    /**
     * How long to wait, at stop, for the UDF to close its output and exit (Kapacitor waits forever);
     * default 10 s.
     */
    public Builder exitWait(Duration wait) {
      this.exitWait = positive(wait, "wait");
      return this;
    }

    /**
     * How a socket UDF is dialled while its socket is missing or refuses: the first retry interval
     * (then ×1.5 with jitter, as Kapacitor's backoff) and the total budget; default 500 ms and 5 min.
     */
    public Builder socketRetry(Duration firstRetry, Duration budget) {
      this.firstRetry = positive(firstRetry, "firstRetry");
      Objects.requireNonNull(budget, "budget == null");
      if (budget.isNegative()) throw new IllegalArgumentException("budget < 0: " + budget);
      this.retryBudget = budget;
      return this;
    }

    /** The task id sent in Init; default {@code test_task}. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId == null");
      return this;
    }

    /** The node id sent in Init; default {@code udf1}. */
    public Builder nodeId(String nodeId) {
      this.nodeId = Objects.requireNonNull(nodeId, "nodeId == null");
      return this;
    }

    /** The UDF's name in logs and session names; default {@code udf}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /**
     * Whether each session keeps every frame it sends and receives, for {@link TaskSession#recording()}
     * and {@link TaskSession#responses()}; default true. Turn it off for long runs, whose memory
     * would otherwise grow with every point. Checks, outputs and failures work the same either way.
     */
    public Builder recordFrames(boolean record) {
      this.recordFrames = record;
      return this;
    }

    public KapacitorSimulator build() {
      return new KapacitorSimulator(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what + " == null");
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
      return d;
    }
  }
}
