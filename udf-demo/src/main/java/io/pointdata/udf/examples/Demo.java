package io.pointdata.udf.examples;

import io.pointdata.udf.Point;
import io.pointdata.udf.UdfServer;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.Output;
import io.pointdata.udf.testing.StopResult;
import io.pointdata.udf.testing.TaskSession;
import io.pointdata.udf.testing.TickOptions;
import io.pointdata.udf.testing.UdfTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The EII flow without Kapacitor, through the real UDF protocol: simulated sensor readings and
 * robot log messages go from a simulated Kapacitor ({@link KapacitorSimulator}, which drives each
 * UDF as kapacitord does: start-up Info, Init, data, keepalives, stop) to the three example UDFs,
 * the two classifiers over Unix sockets served by this JVM, the random forest as a process spawned
 * from this jar. It tells what happens as it goes, checks the answers, and ends with a summary.
 */
final class Demo {
  private static final int SHOWN = 3;

  /** The demo's settings, from its command line. */
  record Settings(int points, int messages, int window, long seed, boolean verbose) {
    static final Settings DEFAULTS = new Settings(2000, 30, 3, 1, false);
  }

  /** The demo's command-line help. */
  static final String USAGE =
      "usage: java -jar udf-demo.jar [--points N] [--messages N] [--window N] [--seed N]"
          + " [--verbose]\n"
          + "  --points N     sensor readings sent to temperature and humidity (default "
          + Settings.DEFAULTS.points()
          + ")\n"
          + "  --messages N   robot log messages sent to rfc (default "
          + Settings.DEFAULTS.messages()
          + ")\n"
          + "  --window N     messages per window, i.e. per batch (default "
          + Settings.DEFAULTS.window()
          + ")\n"
          + "  --seed N       seed of the simulated readings (default "
          + Settings.DEFAULTS.seed()
          + ")\n"
          + "  --verbose      show the UDFs' own logs on stderr\n";

  /** What one task's UDF did, for the summary. */
  private record TaskResult(
      String udf, String transport, long in, long out, String dropped, long timed, long nanos) {}

  private final Settings settings;
  private final PrintStream out;
  private final List<TaskResult> results = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private String rfcPredictions = "";
  private int infos;

  private Demo(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs the demo with command-line arguments; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Settings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage() + "\n");
      err.print(USAGE);
      return Main.USAGE_ERROR;
    }
    if (settings == null) {
      out.print(USAGE);
      return 0;
    }
    return new Demo(settings, out).run();
  }

  /** Parses the arguments; null for --help. */
  static Settings parse(String[] args) {
    Settings s = Settings.DEFAULTS;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--verbose" -> s = new Settings(s.points(), s.messages(), s.window(), s.seed(), true);
        case "--points", "--messages", "--window", "--seed" -> {
          if (i + 1 == args.length) throw new IllegalArgumentException(arg + " needs a value");
          long value;
          try {
            value = Long.parseLong(args[++i]);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                arg + " needs a whole number, got '" + args[i] + "'");
          }
          if (!arg.equals("--seed") && (value < 1 || value > 100_000_000)) {
            throw new IllegalArgumentException(
                arg + " must be between 1 and 100000000, got " + value);
          }
          s =
              switch (arg) {
                case "--points" ->
                    new Settings((int) value, s.messages(), s.window(), s.seed(), s.verbose());
                case "--messages" ->
                    new Settings(s.points(), (int) value, s.window(), s.seed(), s.verbose());
                case "--window" ->
                    new Settings(s.points(), s.messages(), (int) value, s.seed(), s.verbose());
                default -> new Settings(s.points(), s.messages(), s.window(), value, s.verbose());
              };
        }
        default -> throw new IllegalArgumentException("unknown demo option '" + arg + "'");
      }
    }
    return s;
  }

  private int run() throws Exception {
    if (!settings.verbose()) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      // The rfc process's log, which Kapacitor logs line by line as "UDF log".
      System.setProperty("org.slf4j.simpleLogger.log.io.pointdata.udf.testing.ProcessLink", "info");
    }
    out.println(
        "Kapacitor UDF demo: Intel Edge Insights' flow through the real UDF protocol, without"
            + " Kapacitor.");
    out.println(
        "Simulated sensors and robot logs -> a simulated Kapacitor (this JVM) -> temperature and"
            + " humidity");
    out.println("on Unix sockets, rfc as a spawned process.");
    Path dir = Files.createTempDirectory("udf-demo");
    long start = (System.currentTimeMillis() / 1000 - settings.points()) * 1_000_000_000L;
    List<String> rfcCommand = rfcCommand();
    try (UdfServer temperatureServer =
            UdfServer.builder(dir.resolve("point_classifier"))
                .udf(ThresholdClassifier::temperature)
                .build();
        UdfServer humidityServer =
            UdfServer.builder(dir.resolve("humidity_classifier"))
                .udf(ThresholdClassifier::humidity)
                .build();
        KapacitorSimulator temperature =
            kapacitor(Example.TEMPERATURE, UdfTarget.socket(temperatureServer.path()));
        KapacitorSimulator humidity =
            kapacitor(Example.HUMIDITY, UdfTarget.socket(humidityServer.path()));
        KapacitorSimulator rfc = kapacitor(Example.RFC, UdfTarget.process(rfcCommand))) {
      out.println();
      out.println("1. Start the UDFs");
      temperatureServer.start();
      humidityServer.start();
      out.printf("   temperature  socket   %s%n", temperatureServer.path());
      out.printf("   humidity     socket   %s%n", humidityServer.path());
      out.printf("   rfc          process  %s%n", String.join(" ", rfcCommand));

      out.println();
      out.println(
          "2. Kapacitor starts: it asks each UDF for its Info on a connection of its own, then"
              + " closes it");
      startup("temperature", temperature);
      startup("humidity", humidity);
      startup("rfc", rfc);

      SimulatedData data = new SimulatedData(settings.seed(), start);
      out.println();
      out.println(
          "3. Task temperature_classifier: stream point_data @temperature() ->"
              + " point_classifier_results");
      thresholdTask(
          "temperature", temperature, data, "temperature", 20.0, 25.0, "t < 20 or t > 25");
      out.println();
      out.println(
          "4. Task humidity_classifier: stream point_data @humidity() ->"
              + " humidity_classifier_results");
      thresholdTask(
          "humidity",
          humidity,
          new SimulatedData(settings.seed(), start),
          "humidity",
          Double.NEGATIVE_INFINITY,
          25.0,
          "h > 25");
      out.println();
      out.printf(
          "5. Task random_forest_sample: stream ts_data |window() of %d s @rfc() -> rfc_results%n",
          settings.window());
      rfcTask(rfc, data);
    } catch (AssertionError e) {
      // The simulated Kapacitor's verdict: what a real one would have failed on.
      fail(e.getMessage());
    } finally {
      deleteQuietly(dir);
    }
    summary();
    return failures.isEmpty() ? 0 : 1;
  }

  /** A simulated Kapacitor for one configured UDF, with its kapacitor.conf timeout. */
  private static KapacitorSimulator kapacitor(Example example, UdfTarget target) {
    return KapacitorSimulator.builder(target)
        .name(example.command())
        .timeout(example.timeout())
        .taskId("demo")
        .nodeId(example.command() + "1")
        // A cold JVM on a busy machine: Info, and rfc's training at Init, may take seconds.
        .responseWait(Duration.ofSeconds(120))
        .exitWait(Duration.ofSeconds(60))
        // The demo reads outputs, never the frame log: keep memory flat however many points it
        // sends.
        .recordFrames(false)
        .build();
  }

  /**
   * The command Kapacitor would run for rfc: this JVM's java, the recommended flags (no archive),
   * this jar.
   */
  private List<String> rfcCommand() {
    List<String> command = new ArrayList<>();
    command.add(Main.javaPath().toString());
    command.addAll(Describe.PROCESS_JVM_FLAGS);
    if (!settings.verbose()) command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "rfc"));
    return command;
  }

  private void startup(String udf, KapacitorSimulator kapacitor) {
    long t0 = System.nanoTime();
    UdfProto.InfoResponse info = kapacitor.startup();
    long nanos = System.nanoTime() - t0;
    String note =
        udf.equals("rfc")
            ? " (JVM start and exit included; no training yet)"
            : infos++ == 0 ? " (class loading included)" : "";
    out.printf(
        "   %-12s Info in %s%s: wants %s, provides %s, options %s%n",
        udf,
        millis(nanos),
        note,
        info.getWants().name().toLowerCase(Locale.ROOT),
        info.getProvides().name().toLowerCase(Locale.ROOT),
        String.join(", ", info.getOptionsMap().keySet().stream().sorted().toList()));
  }

  /**
   * Opens a task's session and sends Init with no options, as the EII TICKscripts call the UDFs.
   */
  private TaskSession openTask(KapacitorSimulator kapacitor, String what) {
    TaskSession task = kapacitor.open();
    long t0 = System.nanoTime();
    UdfProto.InitResponse init = task.init(kapacitor.initRequest(TickOptions.none()));
    long nanos = System.nanoTime() - t0;
    if (!init.getSuccess())
      throw new AssertionError(task.name() + " refused Init: " + init.getError());
    out.printf("   Init ok in %s%s%n", millis(nanos), what);
    return task;
  }

  /** Ends a task as Kapacitor does at task stop, and says how the UDF took it. */
  private void stopTask(TaskSession task, String udf) {
    StopResult stop = task.stop();
    if (!stop.clean()) {
      fail(udf + " " + stop);
    } else if (stop.exitStatus().isPresent()) {
      out.printf(
          "   task stop: the %s process exited with status %d when its stdin closed%n",
          udf, stop.exitStatus().getAsInt());
    } else {
      out.printf("   task stop: %s flushed its output and closed the connection%n", udf);
    }
  }

  /** The outputs that have arrived, as stream points. */
  private List<Point> arrived(TaskSession task) {
    List<Point> points = new ArrayList<>();
    for (Optional<Output> o; (o = task.pollOutput()).isPresent(); ) {
      if (o.get() instanceof Output.StreamPoint p) points.add(Protocol.point(p.point()));
      else fail(task.name() + " sent a batch where a stream point was expected: " + o.get());
    }
    return points;
  }

  /** The outputs of everything sent so far: a Snapshot's answer comes after them. */
  private List<Point> answered(TaskSession task) {
    task.snapshot();
    return arrived(task);
  }

  private void thresholdTask(
      String udf,
      KapacitorSimulator kapacitor,
      SimulatedData data,
      String field,
      double min,
      double max,
      String rule) {
    TaskSession task = openTask(kapacitor, "");
    int points = settings.points();
    int shown = Math.min(SHOWN, points);
    long expected = 0;
    long forwarded = 0;
    // The first readings one at a time, each with its answer.
    for (int i = 0; i < shown; i++) {
      Point point = data.sensorReading(i);
      double value = point.doubleField(field);
      if (value < min || value > max) expected++;
      out.printf("   -> %s%n", describe(point));
      task.sendPoint(Protocol.toProto(point));
      List<Point> answer = answered(task);
      forwarded += check(answer, field, min, max);
      out.printf(
          answer.isEmpty()
              ? "   <- nothing: %s=%.2f is in range%n"
              : "   <- forwarded: %s=%.2f, an anomaly%n",
          field,
          value);
    }
    // The rest as Kapacitor streams them: without waiting for answers, which arrive meanwhile.
    int chunk = Math.max(1, (points - shown + 3) / 4);
    long t0 = System.nanoTime();
    for (int i = shown; i < points; i++) {
      Point point = data.sensorReading(i);
      double value = point.doubleField(field);
      if (value < min || value > max) expected++;
      task.sendPoint(Protocol.toProto(point));
      if ((i + 1 - shown) % chunk == 0 && i + 1 < points) {
        forwarded += check(arrived(task), field, min, max);
        out.printf("   sent %d/%d readings, %d anomalies back so far%n", i + 1, points, forwarded);
      }
    }
    forwarded += check(answered(task), field, min, max);
    long nanos = System.nanoTime() - t0;
    out.printf("   sent %d/%d readings; all answered%n", points, points);
    stopTask(task, udf);
    out.printf(
        "   done: %d in, %d forwarded (%.1f %%)%n", points, forwarded, 100.0 * forwarded / points);
    if (forwarded != expected)
      fail(udf + " forwarded " + forwarded + " readings, expected " + expected);
    else
      out.printf(
          "   checked: exactly the %d anomalies came back (%s), each unchanged%n", expected, rule);
    results.add(
        new TaskResult(
            udf,
            "socket",
            points,
            forwarded,
            (points - forwarded) + " in range",
            points - shown,
            nanos));
  }

  /** Counts forwarded points, failing the demo on one that is not an anomaly. */
  private long check(List<Point> forwarded, String field, double min, double max) {
    for (Point p : forwarded) {
      double value = p.doubleField(field);
      if (!(value < min || value > max)) fail("forwarded a reading in range: " + describe(p));
    }
    return forwarded.size();
  }

  private void rfcTask(KapacitorSimulator kapacitor, SimulatedData data) {
    List<SimulatedData.LogMessage> messages = SimulatedData.logMessages(settings.messages());
    Map<Long, SimulatedData.LogMessage> byTime = new LinkedHashMap<>();
    Map<Double, Integer> predictions = new TreeMap<>(Comparator.reverseOrder());
    long received = 0;
    TaskSession task =
        openTask(
            kapacitor,
            " (the forest is trained at Init: 600 trees, seed 20, on the bundled Log_rf.csv)");
    long t0 = System.nanoTime();
    int windows = (messages.size() + settings.window() - 1) / settings.window();
    for (int w = 0; w < windows; w++) {
      List<UdfProto.Point> batch = new ArrayList<>();
      for (int i = w * settings.window();
          i < Math.min(messages.size(), (w + 1) * settings.window());
          i++) {
        Point p = data.logPoint(i, messages.get(i));
        byTime.put(p.time(), messages.get(i));
        batch.add(Protocol.toProto(p));
      }
      task.sendBatch("ts_data", Map.of(), false, data.timeOf((w + 1) * settings.window()), batch);
      List<Point> answer = answered(task);
      received += answer.size();
      StringBuilder line = new StringBuilder();
      for (Point p : answer) {
        double prediction = p.doubleField("prediction");
        predictions.merge(prediction, 1, Integer::sum);
        SimulatedData.LogMessage sent = byTime.get(p.time());
        if (sent == null || !Double.valueOf(prediction).equals(sent.expected())) {
          fail(
              "rfc predicted "
                  + prediction
                  + " for "
                  + (sent == null ? "an unknown point" : sent.label()));
        }
        line.append(line.length() == 0 ? "" : ", ")
            .append(p.tag("assetId"))
            .append(" -> ")
            .append(prediction);
      }
      long skipped = batch.size() - answer.size();
      if (w < 8 || w == windows - 1 || skipped > 0) {
        out.printf(
            "   window %d: %d messages -> %s%s%n",
            w + 1,
            batch.size(),
            line.length() == 0 ? "nothing" : line,
            skipped > 0
                ? "   (" + skipped + " unreadable message skipped and counted, the task goes on)"
                : "");
      } else if (w == 8) {
        out.println("   ...");
      }
    }
    long nanos = System.nanoTime() - t0;
    stopTask(task, "rfc");
    long unreadable = messages.stream().filter(m -> m.expected() == null).count();
    if (received != messages.size() - unreadable) {
      fail(
          "rfc sent "
              + received
              + " predictions for "
              + (messages.size() - unreadable)
              + " readable messages");
    }
    results.add(
        new TaskResult(
            "rfc",
            "process",
            messages.size(),
            received,
            (messages.size() - received) + " unreadable",
            messages.size(),
            nanos));
    StringBuilder line = new StringBuilder();
    predictions.forEach(
        (p, n) -> line.append(line.length() == 0 ? "" : ", ").append(p).append(" x ").append(n));
    rfcPredictions = line.toString();
  }

  private void summary() {
    out.println();
    out.println("Summary");
    out.printf(
        "   %-12s %-9s %8s %8s  %-17s %16s%n",
        "UDF", "transport", "in", "out", "not forwarded", "throughput");
    for (TaskResult r : results) {
      out.printf(
          "   %-12s %-9s %8d %8d  %-17s %10s pts/s%n",
          r.udf(), r.transport(), r.in(), r.out(), r.dropped(), rate(r.timed(), r.nanos()));
    }
    out.println(
        "   (throughput: from the first point streamed to the last answer; the first task also"
            + " warms up the JIT,");
    out.println("   and rfc waits for each window's answer)");
    for (TaskResult r : results) {
      if (!r.udf().equals("rfc")) {
        out.printf(
            "   anomalies found by %s: %d of %d (%.1f %%)%n",
            r.udf(), r.out(), r.in(), 100.0 * r.out() / r.in());
      }
    }
    out.printf(
        "   rfc predictions: %s (training row C -> 0.0; the samples and rows A, B -> 1.0)%n",
        rfcPredictions);
    if (failures.isEmpty()) {
      out.println("   all checks passed");
    } else {
      out.println("   FAILED:");
      failures.forEach(f -> out.println("   - " + f));
    }
  }

  private void fail(String problem) {
    failures.add(problem);
  }

  private static String describe(Point p) {
    StringBuilder s = new StringBuilder(p.name());
    p.tags().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(t -> s.append(',').append(t.getKey()).append('=').append(t.getValue()));
    String fields =
        String.format(
            Locale.ROOT,
            " temperature=%.2f,humidity=%.2f",
            p.findDouble("temperature").orElse(Double.NaN),
            p.findDouble("humidity").orElse(Double.NaN));
    return s.append(fields).toString();
  }

  private static String millis(long nanos) {
    return nanos >= 10_000_000_000L
        ? String.format(Locale.ROOT, "%.1f s", nanos / 1e9)
        : String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
  }

  private static String rate(long count, long nanos) {
    return String.format(Locale.ROOT, "%,.0f", count / (nanos / 1e9));
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp dir left behind is harmless.
    }
  }
}
