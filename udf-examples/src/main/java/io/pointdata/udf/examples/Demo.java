package io.pointdata.udf.examples;

import io.pointdata.udf.Point;
import io.pointdata.udf.UdfServer;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The EII flow without Kapacitor, through the real UDF protocol: simulated sensor readings and robot
 * log messages go from Kapacitor's side (this JVM) to the three example UDFs, the two classifiers
 * over Unix sockets served by this JVM, the random forest as a process spawned from this jar, just
 * as kapacitord would run them. It tells what happens as it goes, checks the answers, and ends with
 * a summary.
 */
final class Demo {
  private static final int SHOWN = 3;

  /** The demo's settings, from its command line. */
  record Settings(int points, int messages, int window, long seed, boolean verbose) {
    static final Settings DEFAULTS = new Settings(2000, 30, 3, 1, false);
  }

  /** The demo's command-line help. */
  static final String USAGE = "usage: java -jar udf-examples.jar demo [--points N] [--messages N] [--window N] [--seed N] [--verbose]\n"
      + "  --points N     sensor readings sent to temperature and humidity (default " + Settings.DEFAULTS.points() + ")\n"
      + "  --messages N   robot log messages sent to rfc (default " + Settings.DEFAULTS.messages() + ")\n"
      + "  --window N     messages per window, i.e. per batch (default " + Settings.DEFAULTS.window() + ")\n"
      + "  --seed N       seed of the simulated readings (default " + Settings.DEFAULTS.seed() + ")\n"
      + "  --verbose      show the UDFs' own logs on stderr\n";

  /** What one task's UDF did, for the summary. */
  private record TaskResult(String udf, String transport, long in, long out, String dropped, long timed, long nanos) {}

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
            throw new IllegalArgumentException(arg + " needs a whole number, got '" + args[i] + "'");
          }
          if (!arg.equals("--seed") && (value < 1 || value > 100_000_000)) {
            throw new IllegalArgumentException(arg + " must be between 1 and 100000000, got " + value);
          }
          s = switch (arg) {
            case "--points" -> new Settings((int) value, s.messages(), s.window(), s.seed(), s.verbose());
            case "--messages" -> new Settings(s.points(), (int) value, s.window(), s.seed(), s.verbose());
            case "--window" -> new Settings(s.points(), s.messages(), (int) value, s.seed(), s.verbose());
            default -> new Settings(s.points(), s.messages(), s.window(), value, s.verbose());
          };
        }
        default -> throw new IllegalArgumentException("unknown demo option '" + arg + "'");
      }
    }
    return s;
  }

  private int run() throws Exception {
    if (!settings.verbose()) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    out.println("Kapacitor UDF demo: Intel Edge Insights' flow through the real UDF protocol, without Kapacitor.");
    out.println("Simulated sensors and robot logs -> Kapacitor's side (this JVM) -> temperature and humidity on Unix");
    out.println("sockets, rfc as a spawned process.");
    Path dir = Files.createTempDirectory("udf-demo");
    long start = (System.currentTimeMillis() / 1000 - settings.points()) * 1_000_000_000L;
    try (UdfServer temperature = UdfServer.builder(dir.resolve("point_classifier"))
            .udf(ThresholdClassifier::temperature).build();
        UdfServer humidity = UdfServer.builder(dir.resolve("humidity_classifier"))
            .udf(ThresholdClassifier::humidity).build()) {
      List<String> rfc = rfcCommand();
      out.println();
      out.println("1. Start the UDFs");
      temperature.start();
      humidity.start();
      out.printf("   temperature  socket   %s%n", temperature.path());
      out.printf("   humidity     socket   %s%n", humidity.path());
      out.printf("   rfc          process  %s%n", String.join(" ", rfc));

      out.println();
      out.println("2. Kapacitor starts: it asks each UDF for its Info on a connection of its own, then closes it");
      info("temperature", KapacitorDriver.connect("temperature", temperature.path()));
      info("humidity", KapacitorDriver.connect("humidity", humidity.path()));
      info("rfc", spawn(rfc));

      SimulatedData data = new SimulatedData(settings.seed(), start);
      out.println();
      out.println("3. Task temperature_classifier: stream point_data @temperature() -> point_classifier_results");
      thresholdTask("temperature", KapacitorDriver.connect("temperature", temperature.path()), data, "temperature",
          20.0, 25.0, "t < 20 or t > 25");
      out.println();
      out.println("4. Task humidity_classifier: stream point_data @humidity() -> humidity_classifier_results");
      thresholdTask("humidity", KapacitorDriver.connect("humidity", humidity.path()),
          new SimulatedData(settings.seed(), start), "humidity", Double.NEGATIVE_INFINITY, 25.0, "h > 25");
      out.println();
      out.printf("5. Task random_forest_sample: stream ts_data |window() of %d s @rfc() -> rfc_results%n", settings.window());
      rfcTask(spawn(rfc), data);
    } finally {
      deleteQuietly(dir);
    }
    summary();
    return failures.isEmpty() ? 0 : 1;
  }

  /** The command Kapacitor would run for rfc: this JVM's java, the fast-start flags, this jar. */
  private List<String> rfcCommand() {
    List<String> command = new ArrayList<>();
    command.add(Main.javaPath().toString());
    command.addAll(Describe.PROCESS_JVM_FLAGS);
    if (!settings.verbose()) command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "rfc"));
    return command;
  }

  private KapacitorDriver spawn(List<String> command) throws IOException {
    return KapacitorDriver.spawn("rfc", command, line -> out.println("   (rfc log) " + line));
  }

  private void info(String udf, KapacitorDriver kapacitor) throws Exception {
    try (kapacitor) {
      long t0 = System.nanoTime();
      UdfProto.InfoResponse info = kapacitor.info();
      long nanos = System.nanoTime() - t0;
      kapacitor.finish();
      String note = udf.equals("rfc") ? " (JVM start included; no training yet)"
          : infos++ == 0 ? " (class loading included)" : "";
      out.printf("   %-12s Info in %s%s: wants %s, provides %s, options %s%n", udf, millis(nanos), note,
          info.getWants().name().toLowerCase(Locale.ROOT), info.getProvides().name().toLowerCase(Locale.ROOT),
          String.join(", ", info.getOptionsMap().keySet().stream().sorted().toList()));
      if (udf.equals("rfc") && kapacitor.exitStatus() != 0) fail("rfc's Info process exited with " + kapacitor.exitStatus());
    }
  }

  private void init(KapacitorDriver kapacitor, String what) throws Exception {
    long t0 = System.nanoTime();
    UdfProto.InitResponse init = kapacitor.init(Map.of());
    long nanos = System.nanoTime() - t0;
    if (!init.getSuccess()) throw new IllegalStateException(kapacitor.name() + " refused Init: " + init.getError());
    out.printf("   Init ok in %s%s%n", millis(nanos), what);
  }

  private void thresholdTask(String udf, KapacitorDriver kapacitor, SimulatedData data, String field, double min,
      double max, String rule) throws Exception {
    try (kapacitor) {
      init(kapacitor, "");
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
        List<Response> answer = kapacitor.exchange(List.of(request(point)));
        forwarded += check(answer, field, min, max);
        out.printf(answer.isEmpty() ? "   <- nothing: %s=%.2f is in range%n" : "   <- forwarded: %s=%.2f, an anomaly%n",
            field, value);
      }
      // The rest as Kapacitor streams them: without waiting for answers, which arrive meanwhile.
      int chunk = Math.max(1, (points - shown + 3) / 4);
      long t0 = System.nanoTime();
      for (int i = shown; i < points; i++) {
        Point point = data.sensorReading(i);
        double value = point.doubleField(field);
        if (value < min || value > max) expected++;
        kapacitor.sendBuffered(request(point));
        if ((i + 1 - shown) % chunk == 0 && i + 1 < points) {
          kapacitor.flush();
          forwarded += check(kapacitor.drain(), field, min, max);
          out.printf("   sent %d/%d readings, %d anomalies back so far%n", i + 1, points, forwarded);
        }
      }
      kapacitor.flush();
      forwarded += check(kapacitor.finish(), field, min, max);
      long nanos = System.nanoTime() - t0;
      out.printf("   sent %d/%d readings; Kapacitor closes the connection at task stop, the UDF flushes and closes%n",
          points, points);
      out.printf("   done: %d in, %d forwarded (%.1f %%)%n", points, forwarded, 100.0 * forwarded / points);
      if (forwarded != expected) fail(udf + " forwarded " + forwarded + " readings, expected " + expected);
      else out.printf("   checked: exactly the %d anomalies came back (%s), each unchanged%n", expected, rule);
      results.add(new TaskResult(udf, "socket", points, forwarded, (points - forwarded) + " in range",
          points - shown, nanos));
    }
  }

  private static Request request(Point point) {
    return Request.newBuilder().setPoint(point.toProto()).build();
  }

  /** Counts forwarded points, failing the demo on one that is not an anomaly or not a stream point. */
  private long check(List<Response> responses, String field, double min, double max) {
    for (Response r : responses) {
      if (!r.hasPoint()) {
        fail("unexpected response " + r.getMessageCase() + (r.hasError() ? ": " + r.getError().getError() : ""));
        continue;
      }
      double value = Point.of(r.getPoint()).doubleField(field);
      if (!(value < min || value > max)) fail("forwarded a reading in range: " + describe(Point.of(r.getPoint())));
    }
    return responses.size();
  }

  private void rfcTask(KapacitorDriver kapacitor, SimulatedData data) throws Exception {
    List<SimulatedData.LogMessage> messages = SimulatedData.logMessages(settings.messages());
    Map<Long, SimulatedData.LogMessage> byTime = new LinkedHashMap<>();
    Map<Double, Integer> predictions = new TreeMap<>(Comparator.reverseOrder());
    long received = 0;
    long nanos;
    try (kapacitor) {
      init(kapacitor, " (the forest is trained at Init: 600 trees, seed 20, on the bundled Log_rf.csv)");
      long t0 = System.nanoTime();
      int windows = (messages.size() + settings.window() - 1) / settings.window();
      for (int w = 0; w < windows; w++) {
        List<Point> batch = new ArrayList<>();
        for (int i = w * settings.window(); i < Math.min(messages.size(), (w + 1) * settings.window()); i++) {
          Point p = data.logPoint(i, messages.get(i));
          byTime.put(p.time(), messages.get(i));
          batch.add(p);
        }
        long tmax = data.timeOf((w + 1) * settings.window());
        List<Response> answer = kapacitor.exchange(batchRequests(batch, tmax));
        received += answer.size();
        StringBuilder line = new StringBuilder();
        for (Response r : answer) {
          if (!r.hasPoint()) {
            fail("rfc answered " + r.getMessageCase() + (r.hasError() ? ": " + r.getError().getError() : ""));
            continue;
          }
          Point p = Point.of(r.getPoint());
          double prediction = p.doubleField("prediction");
          predictions.merge(prediction, 1, Integer::sum);
          SimulatedData.LogMessage sent = byTime.get(p.time());
          if (sent == null || !Double.valueOf(prediction).equals(sent.expected())) {
            fail("rfc predicted " + prediction + " for " + (sent == null ? "an unknown point" : sent.label()));
          }
          line.append(line.length() == 0 ? "" : ", ").append(p.tag("assetId")).append(" -> ").append(prediction);
        }
        long skipped = batch.size() - answer.size();
        if (w < 8 || w == windows - 1 || skipped > 0) {
          out.printf("   window %d: %d messages -> %s%s%n", w + 1, batch.size(), line.length() == 0 ? "nothing" : line,
              skipped > 0 ? "   (" + skipped + " unreadable message skipped and counted, the task goes on)" : "");
        } else if (w == 8) {
          out.println("   ...");
        }
      }
      kapacitor.finish();
      nanos = System.nanoTime() - t0;
      out.printf("   the rfc process exited with status %d when its stdin closed%n", kapacitor.exitStatus());
      if (kapacitor.exitStatus() != 0) fail("rfc exited with status " + kapacitor.exitStatus());
    }
    long unreadable = messages.stream().filter(m -> m.expected() == null).count();
    if (received != messages.size() - unreadable) {
      fail("rfc sent " + received + " predictions for " + (messages.size() - unreadable) + " readable messages");
    }
    results.add(new TaskResult("rfc", "process", messages.size(), received,
        (messages.size() - received) + " unreadable", messages.size(), nanos));
    StringBuilder line = new StringBuilder();
    predictions.forEach((p, n) -> line.append(line.length() == 0 ? "" : ", ").append(p).append(" x ").append(n));
    rfcPredictions = line.toString();
  }


  private static List<Request> batchRequests(List<Point> points, long tmax) {
    List<Request> requests = new ArrayList<>();
    requests.add(Request.newBuilder().setBegin(UdfProto.BeginBatch.newBuilder().setName("ts_data").setSize(points.size())).build());
    for (Point p : points) requests.add(Request.newBuilder().setPoint(p.toProto()).build());
    requests.add(Request.newBuilder().setEnd(UdfProto.EndBatch.newBuilder().setName("ts_data").setTmax(tmax)).build());
    return requests;
  }

  private void summary() {
    out.println();
    out.println("Summary");
    out.printf("   %-12s %-9s %8s %8s  %-17s %16s%n", "UDF", "transport", "in", "out", "not forwarded", "throughput");
    for (TaskResult r : results) {
      out.printf("   %-12s %-9s %8d %8d  %-17s %10s pts/s%n", r.udf(), r.transport(), r.in(), r.out(), r.dropped(),
          rate(r.timed(), r.nanos()));
    }
    out.println("   (throughput: from the first point streamed to the last answer; the first task also warms up the JIT,");
    out.println("   and rfc waits for each window's answer)");
    for (TaskResult r : results) {
      if (!r.udf().equals("rfc")) {
        out.printf("   anomalies found by %s: %d of %d (%.1f %%)%n", r.udf(), r.out(), r.in(), 100.0 * r.out() / r.in());
      }
    }
    out.printf("   rfc predictions: %s (training row C -> 0.0; the samples and rows A, B -> 1.0)%n", rfcPredictions);
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
    p.tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(t -> s.append(',').append(t.getKey()).append('=').append(t.getValue()));
    String fields = String.format(Locale.ROOT, " temperature=%.2f,humidity=%.2f",
        p.findDouble("temperature").orElse(Double.NaN), p.findDouble("humidity").orElse(Double.NaN));
    return s.append(fields).toString();
  }

  private static String millis(long nanos) {
    return nanos >= 10_000_000_000L ? String.format(Locale.ROOT, "%.1f s", nanos / 1e9)
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
