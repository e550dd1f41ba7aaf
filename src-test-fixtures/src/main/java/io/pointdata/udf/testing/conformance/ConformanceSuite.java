package io.pointdata.udf.testing.conformance;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.StopResult;
import io.pointdata.udf.testing.TaskSession;
import io.pointdata.udf.testing.TickOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The checks of PROTOCOL.md §6 that can be made from Kapacitor's side of the wire, run against one
 * UDF: start-up, Info, Init, snapshot and restore, keepalive under load, clean end of input, the
 * same output however the input is paced, state that survives a restore mid-stream, output
 * Kapacitor survives, and (for a socket) concurrent sessions. Not thread-safe; run once.
 */
final class ConformanceSuite {
  /** The outcome of one check. */
  enum Status {
    PASS,
    FAIL,
    SKIP
  }

  /** One row of the report. */
  record Check(String name, Status status, String detail) {}

  /**
   * Pipelined runs per pipelined-output check: an agent's race at end of input may lose nothing in
   * one.
   */
  private static final int PIPELINED_RUNS = 3;

  /** Units of input per state-restored run, and where it is cut. */
  private static final int RESTORE_UNITS = 20;

  private static final int[] RESTORE_CUTS = {1, 2, 7};

  private final ConformanceConfig config;
  private final KapacitorSimulator kapacitor;
  private final List<Check> checks = new ArrayList<>();

  /** Every session's violations, for the output check. */
  private final List<String> violations = new ArrayList<>();

  private long responsesSeen;

  ConformanceSuite(ConformanceConfig config, KapacitorSimulator kapacitor) {
    this.config = config;
    this.kapacitor = kapacitor;
  }

  List<Check> run() {
    UdfProto.InfoResponse info = startup();
    if (info == null) {
      skipRest("Kapacitor would not get past its start-up");
      return checks;
    }
    checkInfo(info);
    TickOptions options = initOptions(info);
    TaskSession task = options == null ? null : initTask(options);
    if (task == null) {
      skipRest("the task did not start");
      return checks;
    }
    byte[] snapshot = snapshot(task);
    keepaliveUnderLoad(task, info);
    stop(
        task,
        "clean-eof",
        (config.socket() == null ? "closed its output and exited with status 0" : "closed its side")
            + " after its input ended");
    restore(options, snapshot);
    dataChecks(options, info);
    if (config.socket() != null) {
      concurrentSessions(options, info);
    } else {
      add(
          "concurrent-sessions",
          Status.SKIP,
          "socket UDFs only: a process UDF gets one process per session");
    }
    outputCheck();
    return checks;
  }

  // ---------------------------------------------------------------- checks

  private UdfProto.InfoResponse startup() {
    long start = System.nanoTime();
    try {
      UdfProto.InfoResponse info = kapacitor.startup();
      add(
          "startup",
          Status.PASS,
          "answered the Info-only start-up session in "
              + millis(start)
              + " ms, then closed"
              + (config.socket() == null ? " and exited with status 0" : " its side")
              + " when its input ended");
      return info;
    } catch (AssertionError e) {
      add("startup", Status.FAIL, e.getMessage());
      return null;
    }
  }

  private void checkInfo(UdfProto.InfoResponse info) {
    List<String> problems = new ArrayList<>();
    if (info.getWants() == UdfProto.EdgeType.UNRECOGNIZED)
      problems.add("wants is not STREAM or BATCH");
    if (info.getProvides() == UdfProto.EdgeType.UNRECOGNIZED)
      problems.add("provides is not STREAM or BATCH");
    info.getOptionsMap()
        .forEach(
            (name, option) -> {
              if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(
                    "option \""
                        + name
                        + "\" is not a TICKscript identifier: no TICKscript can set it");
              }
              if (option.getValueTypesList().contains(UdfProto.ValueType.UNRECOGNIZED)) {
                problems.add("option '" + name + "' has a value type Kapacitor does not know");
              }
            });
    String summary =
        "wants "
            + info.getWants()
            + ", provides "
            + info.getProvides()
            + ", options: "
            + (info.getOptionsCount() == 0
                ? "none"
                : info.getOptionsMap().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(
                        e ->
                            e.getKey()
                                + e.getValue()
                                    .getValueTypesList()
                                    .toString()
                                    .replace('[', '(')
                                    .replace(']', ')'))
                    .collect(Collectors.joining(", ")));
    add(
        "info",
        problems.isEmpty() ? Status.PASS : Status.FAIL,
        problems.isEmpty() ? summary : String.join("; ", problems) + " (" + summary + ")");
  }

  /**
   * The --init options, checked as kapacitor define checks them; or one value of each declared
   * type.
   */
  private TickOptions initOptions(UdfProto.InfoResponse info) {
    TickOptions options = config.init() != null ? config.init() : generatedOptions(info);
    Optional<String> defineError = kapacitor.define(options);
    if (defineError.isPresent()) {
      add(
          "init",
          Status.FAIL,
          "kapacitor define refuses the options "
              + options
              + " against the UDF's Info: "
              + defineError.get());
      return null;
    }
    return options;
  }

  private static TickOptions generatedOptions(UdfProto.InfoResponse info) {
    TickOptions.Builder options = TickOptions.builder();
    info.getOptionsMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              List<Object> args = new ArrayList<>();
              for (UdfProto.ValueType type : e.getValue().getValueTypesList()) {
                args.add(
                    switch (type) {
                      case BOOL -> Boolean.TRUE;
                      case INT -> 1L;
                      case DOUBLE -> 1.0;
                      case STRING -> "value";
                      case DURATION -> Duration.ofSeconds(1);
                      case UNRECOGNIZED ->
                          throw new IllegalStateException(
                              "unknown value type of option " + e.getKey());
                    });
              }
              options.call(e.getKey(), args.toArray());
            });
    return options.build();
  }

  private TaskSession initTask(TickOptions options) {
    TaskSession task;
    try {
      task = kapacitor.open();
    } catch (AssertionError e) {
      add("init", Status.FAIL, e.getMessage());
      return null;
    }
    UdfProto.InitResponse response;
    try {
      response = task.init(kapacitor.initRequest(options));
    } catch (AssertionError e) {
      add("init", Status.FAIL, e.getMessage());
      collect(task, task.stop());
      return null;
    }
    if (response.getSuccess()) {
      add(
          "init",
          Status.PASS,
          "accepted the options " + (options.isEmpty() ? "(none)" : options.toString()));
      return task;
    }
    String reason =
        response.getError().isEmpty()
            ? "refused them without saying why (Kapacitor shows 'failed to initialize processes '"
                + " and nothing more)"
            : "refused them: " + response.getError();
    boolean given = config.init() != null;
    add(
        "init",
        given || response.getError().isEmpty() ? Status.FAIL : Status.PASS,
        "options "
            + (options.isEmpty() ? "(none)" : options.toString())
            + ": "
            + reason
            + (given ? "" : " (pass --init with options it accepts to run the data checks)"));
    collect(task, task.stop());
    return null;
  }

  private byte[] snapshot(TaskSession task) {
    try {
      byte[] snapshot = task.snapshot().getSnapshot().toByteArray();
      add(
          "snapshot",
          Status.PASS,
          "answered a Snapshot request with " + snapshot.length + " bytes");
      return snapshot;
    } catch (AssertionError e) {
      add("snapshot", Status.FAIL, e.getMessage());
      return null;
    }
  }

  /** Data in rounds, each followed by a keepalive that must be answered within the timeout. */
  private void keepaliveUnderLoad(TaskSession task, UdfProto.InfoResponse info) {
    int rounds = 10;
    long slowest = 0;
    int sent = 0;
    try {
      for (int round = 0; round < rounds; round++) {
        int count = config.points() / rounds;
        sent += send(task, info, count, round);
        long start = System.nanoTime();
        task.keepalive();
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
    } catch (AssertionError e) {
      add("keepalive-under-load", Status.FAIL, "after " + sent + " points: " + e.getMessage());
      return;
    }
    Duration slowestAnswer = Duration.ofNanos(slowest);
    if (slowestAnswer.compareTo(config.timeout()) > 0) {
      add(
          "keepalive-under-load",
          Status.FAIL,
          "a keepalive was answered after "
              + slowestAnswer.toMillis()
              + " ms, over the timeout ("
              + config.timeout().toMillis()
              + " ms): Kapacitor would have aborted the UDF");
      return;
    }
    add(
        "keepalive-under-load",
        Status.PASS,
        rounds
            + " keepalives sent among "
            + sent
            + " points"
            + (info.getWants() == UdfProto.EdgeType.BATCH
                ? " (in batches of " + ConformanceConfig.BATCH_SIZE + ")"
                : "")
            + ", all answered, the slowest in "
            + slowestAnswer.toMillis()
            + " ms");
  }

  /** Sends {@code count} points, as a stream or in batches as the UDF wants; returns how many. */
  private int send(TaskSession task, UdfProto.InfoResponse info, int count, int round) {
    List<UdfProto.Point> points = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UdfProto.Point template = config.pointTemplates().get(i % config.pointTemplates().size());
      long time = 1_704_067_200_000_000_000L + ((long) round * count + i) * 1_000_000_000L;
      points.add(template.toBuilder().setTime(time).build());
    }
    if (info.getWants() == UdfProto.EdgeType.STREAM) {
      points.forEach(task::sendPoint);
      return count;
    }
    for (int from = 0; from < points.size(); from += ConformanceConfig.BATCH_SIZE) {
      List<UdfProto.Point> batch =
          points.subList(from, Math.min(points.size(), from + ConformanceConfig.BATCH_SIZE));
      List<UdfProto.Point> inBatch =
          batch.stream().map(p -> p.toBuilder().clearName().build()).toList();
      task.sendBatch(
          batch.get(0).getName(), Map.of(), false, batch.get(batch.size() - 1).getTime(), inBatch);
    }
    return count;
  }

  private void stop(TaskSession task, String check, String passDetail) {
    StopResult result = collect(task, task.stop());
    long outputs = 0;
    while (task.pollOutput().isPresent()) outputs++;
    passDetail += "; " + outputs + " outputs in all";
    List<String> problems =
        result.problems().stream().filter(p -> !violations.contains(p)).toList();
    add(
        check,
        problems.isEmpty() ? Status.PASS : Status.FAIL,
        problems.isEmpty()
            ? passDetail
            : String.join("\n", problems)
                + (result.diagnostics().isEmpty() ? "" : "\n" + result.diagnostics()));
  }

  private void restore(TickOptions options, byte[] snapshot) {
    if (snapshot == null) {
      add("restore", Status.SKIP, "no snapshot to restore");
      return;
    }
    TaskSession task = null;
    try {
      task = kapacitor.open();
      UdfProto.InitResponse init = task.init(kapacitor.initRequest(options));
      if (!init.getSuccess()) {
        add(
            "restore",
            Status.FAIL,
            "a second task with the same options was refused: " + init.getError());
        return;
      }
      UdfProto.RestoreResponse response =
          task.restore(
              UdfProto.RestoreRequest.newBuilder()
                  .setSnapshot(com.google.protobuf.ByteString.copyFrom(snapshot))
                  .build());
      StopResult stop = collect(task, task.stop());
      task = null;
      if (!response.getSuccess()) {
        add(
            "restore",
            Status.FAIL,
            "refused its own snapshot ("
                + snapshot.length
                + " bytes): "
                + response.getError()
                + " (Kapacitor fails the task: error restoring snapshot)");
      } else if (!stop.clean()) {
        add(
            "restore",
            Status.FAIL,
            "restored its snapshot, but then: " + String.join("\n", stop.problems()));
      } else {
        add(
            "restore",
            Status.PASS,
            "a new task restored the "
                + snapshot.length
                + "-byte snapshot right after Init, "
                + "then stopped cleanly");
      }
    } catch (AssertionError e) {
      add("restore", Status.FAIL, e.getMessage());
    } finally {
      if (task != null) collect(task, task.stop());
    }
  }

  /** The checks that compare outputs of fresh sessions: see {@link DataChecks}. */
  private void dataChecks(TickOptions options, UdfProto.InfoResponse info) {
    UdfProto.InitRequest init = kapacitor.initRequest(options);
    Feed pipelined =
        Feed.generated(config.pointTemplates(), info.getWants(), unitsOf(info, config.points()));
    DataChecks.Result same =
        new DataChecks(
                kapacitor,
                init,
                pipelined,
                config.deterministic(),
                task -> collect(task, task.stop()))
            .sameOutputWhenPipelined(PIPELINED_RUNS);
    add("pipelined-output", same.passed() ? Status.PASS : Status.FAIL, same.detail());
    Feed restored = Feed.generated(config.pointTemplates(), info.getWants(), RESTORE_UNITS);
    DataChecks.Result state =
        new DataChecks(
                kapacitor,
                init,
                restored,
                config.deterministic(),
                task -> collect(task, task.stop()))
            .stateSurvivesRestore(RESTORE_CUTS);
    add("state-restored", state.passed() ? Status.PASS : Status.FAIL, state.detail());
  }

  /** How many units (points, or batches) make {@code points} points for this UDF. */
  private static int unitsOf(UdfProto.InfoResponse info, int points) {
    return info.getWants() == UdfProto.EdgeType.BATCH
        ? Math.max(2, points / ConformanceConfig.BATCH_SIZE)
        : points;
  }

  private void concurrentSessions(TickOptions options, UdfProto.InfoResponse info) {
    int sessions = config.sessions();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            sessions,
            r -> {
              Thread t = new Thread(r, "conformance-session");
              t.setDaemon(true);
              return t;
            });
    try {
      List<TaskSession> opened = new ArrayList<>();
      for (int i = 0; i < sessions; i++) opened.add(kapacitor.open());
      List<Future<String>> results = new ArrayList<>();
      for (TaskSession task : opened) {
        results.add(
            pool.submit(
                () -> {
                  try {
                    UdfProto.InitResponse init = task.init(kapacitor.initRequest(options));
                    if (!init.getSuccess()) return "refused Init: " + init.getError();
                    send(task, info, Math.max(1, config.points() / 10), 0);
                    task.keepalive();
                    StopResult stop = collect(task, task.stop());
                    return stop.clean() ? null : String.join("; ", stop.problems());
                  } catch (AssertionError e) {
                    collect(task, task.stop());
                    return e.getMessage();
                  }
                }));
      }
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        String failure = results.get(i).get();
        if (failure != null) failures.add("session " + (i + 1) + ": " + failure);
      }
      add(
          "concurrent-sessions",
          failures.isEmpty() ? Status.PASS : Status.FAIL,
          failures.isEmpty()
              ? sessions
                  + " sessions open at once, each initialized, fed and stopped on its own, all"
                  + " cleanly"
              : String.join("\n", failures));
    } catch (AssertionError e) {
      add("concurrent-sessions", Status.FAIL, e.getMessage());
    } catch (Exception e) {
      add("concurrent-sessions", Status.FAIL, "could not run the sessions: " + e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void outputCheck() {
    List<String> distinct = violations.stream().distinct().toList();
    add(
        "output",
        distinct.isEmpty() ? Status.PASS : Status.FAIL,
        distinct.isEmpty()
            ? "nothing that would crash or confuse Kapacitor in " + responsesSeen + " responses"
            : String.join("\n", distinct));
  }

  // ---------------------------------------------------------------- bookkeeping

  /** Keeps a stopped session's violations for the output check; returns its stop result. */
  private synchronized StopResult collect(TaskSession task, StopResult stop) {
    violations.addAll(task.violations());
    responsesSeen += task.responses().size();
    return stop;
  }

  private void skipRest(String why) {
    for (String name :
        List.of(
            "info",
            "init",
            "snapshot",
            "keepalive-under-load",
            "clean-eof",
            "restore",
            "pipelined-output",
            "state-restored",
            "concurrent-sessions",
            "output")) {
      if (checks.stream().noneMatch(c -> c.name().equals(name))) {
        add(
            name,
            name.equals("output") && !violations.isEmpty() ? Status.FAIL : Status.SKIP,
            name.equals("output") && !violations.isEmpty() ? String.join("\n", violations) : why);
      }
    }
  }

  private void add(String name, Status status, String detail) {
    checks.add(new Check(name, status, detail));
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
