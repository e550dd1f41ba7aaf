package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.IOException;
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

  KapacitorSimulator(SimulatorBuilder<?> b) {
    this.target = b.target;
    this.settings = b.settings();
    this.clock = b.clock();
    this.name = b.name();
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
      throw new AssertionError(
          "failed to load process info for the UDF (kapacitord would not start): " + e.getMessage(),
          e);
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
   * UDF's input, and compares what the UDF sent with what the recording says. No keepalives of its
   * own are sent: the recorded ones are.
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
      return new ReplayResult(
          recording.responses(),
          session.responses(),
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

  /**
   * Builds a {@link KapacitorSimulator}; each setter checks its argument at once (the setters are
   * shared with {@link FakeKapacitor.Builder}).
   */
  public static final class Builder extends SimulatorBuilder<Builder> {
    private Builder(UdfTarget target) {
      super(target);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the simulator.
     *
     * @return a new simulator
     */
    public KapacitorSimulator build() {
      return new KapacitorSimulator(this);
    }
  }
}
