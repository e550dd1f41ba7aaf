package io.pointdata.udf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end driver: plays Kapacitor's side against spawned agents over real pipes and sockets.
 *
 * <pre>
 * java -cp benchmarks.jar io.pointdata.udf.bench.Driver throughput [--runs 3] [--warmup 5] [--measure 5]
 *     [--transports pipe,socket] [--sessions 1,8] [--udfs passthrough,threshold] [--writes block|kapacitor]
 *     [--windows default,0,...] [--jvm "-Xmx64m ..."]
 * ... Driver paced [--rates 10000,50000] [--windows 0,default,2ms] [--transports pipe,socket]
 *     [--udfs passthrough,threshold] [--prime 200000] [--warmup 3] [--measure 8] [--runs 1] [--jvm "..."]
 * ... Driver latency [--rate 10000] [--warmup 5] [--measure 10] [--runs 3]
 * ... Driver coldstart [--runs 5]
 * ... Driver soak [--points 10000000] [--jvm "..."]
 * </pre>
 *
 * Every scenario spawns its own agent JVM; the echo runs in the same run so that rates can be given
 * as a share of the transport's limit.
 */
public final class Driver {
  private final Map<String, String> options;
  private final Path workDir;

  private Driver(Map<String, String> options, Path workDir) {
    this.options = options;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: Driver throughput|latency|paced|coldstart|soak [--option value ...]");
      System.exit(2);
    }
    Map<String, String> options = parse(Arrays.copyOfRange(args, 1, args.length));
    Path workDir = Files.createTempDirectory("udfb");
    Driver driver = new Driver(options, workDir);
    System.out.printf(
        "# %s on %d cores, %s %s, %s%n",
        OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        loadAverage());
    switch (args[0]) {
      case "throughput" -> driver.throughput();
      case "latency" -> driver.latency();
      case "paced" -> driver.paced();
      case "coldstart" -> driver.coldStart();
      case "soak" -> driver.soak();
      default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
    }
    System.out.printf("# done, %s%n", loadAverage());
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "expected --option value, got " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private int intOption(String name, int fallback) {
    return Integer.parseInt(option(name, Integer.toString(fallback)));
  }

  private Duration seconds(String name, double fallback) {
    return Duration.ofMillis(
        (long) (Double.parseDouble(option(name, Double.toString(fallback))) * 1000));
  }

  private List<String> jvmFlags() {
    String flags = option("jvm", "").trim();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }

  /** The UDFs to run; the echo always runs first, as the measure of the others. */
  private List<String> udfs() {
    List<String> udfs = new ArrayList<>(List.of("echo"));
    for (String udf : option("udfs", "passthrough,threshold").split(",")) {
      if (!udf.equals("echo")) udfs.add(new Target(udf, "pipe").udf());
    }
    return udfs;
  }

  private static String loadAverage() {
    try {
      return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "load average unknown";
    }
  }

  private void throughput() throws Exception {
    int runs = intOption("runs", 3);
    Duration warmup = seconds("warmup", 5);
    Duration measure = seconds("measure", 5);
    Throughput.Writes writes =
        Throughput.Writes.valueOf(option("writes", "block").toUpperCase(Locale.ROOT));
    List<String> transports = List.of(option("transports", "pipe,socket").split(","));
    List<Integer> sessionCounts =
        Arrays.stream(option("sessions", "1,8").split(",")).map(Integer::valueOf).toList();
    List<String> udfs = udfs();
    List<String> windows = List.of(option("windows", Paced.DEFAULT_WINDOW).split(","));
    System.out.printf(
        "# throughput: %s writes, warm-up %s, measure %s, %d runs, read windows %s, agent JVM"
            + " flags: %s%n",
        writes, warmup, measure, runs, windows, jvmFlags().isEmpty() ? "(none)" : jvmFlags());
    Map<String, List<Throughput.Result>> results = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (String transport : transports) {
        for (int sessions : sessionCounts) {
          if (sessions > 1 && !transport.equals("socket")) continue;
          double echo = Double.NaN;
          for (String udf : udfs) {
            for (String window : udf.equals("echo") ? List.of(Paced.DEFAULT_WINDOW) : windows) {
              Target target = new Target(udf, transport);
              Throughput.Result r =
                  new Throughput(
                          target,
                          sessions,
                          writes,
                          Paced.flags(jvmFlags(), target, window),
                          workDir)
                      .run(warmup, measure);
              String key = target + " x" + sessions + windowLabel(target, window, windows);
              results.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
              if (target.isEcho()) echo = r.pointsPerSecond();
              double ratio = r.pointsPerSecond() / echo;
              ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(ratio);
              System.out.printf(
                  Locale.ROOT,
                  "run %d  %-22s %,11.0f points/s  %.2f of echo  agent CPU %6.3f us/point  driver"
                      + " CPU %6.3f us/point  peak RSS %4d MiB  (%,d points back)%n",
                  run,
                  key,
                  r.pointsPerSecond(),
                  ratio,
                  r.agentCpuNanosPerPoint() / 1000,
                  r.driverCpuNanosPerPoint() / 1000,
                  r.peakRssBytes() >> 20,
                  r.pointsBack());
            }
          }
        }
      }
    }
    System.out.println("# medians");
    System.out.println(
        "| scenario | points/s | share of echo | agent CPU µs/point | driver CPU µs/point | peak"
            + " RSS MiB |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    results.forEach(
        (key, list) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %,.0f | %.2f | %.3f | %.3f | %.0f |%n",
                key,
                Stats.median(list.stream().map(Throughput.Result::pointsPerSecond).toList()),
                Stats.median(ratios.get(key)),
                Stats.median(list.stream().map(r -> r.agentCpuNanosPerPoint() / 1000).toList()),
                Stats.median(list.stream().map(r -> r.driverCpuNanosPerPoint() / 1000).toList()),
                Stats.median(list.stream().map(r -> (double) (r.peakRssBytes() >> 20)).toList())));
  }

  private void latency() throws Exception {
    int runs = intOption("runs", 3);
    int rate = intOption("rate", 10_000);
    Duration warmup = seconds("warmup", 5);
    Duration measure = seconds("measure", 10);
    List<String> transports = List.of(option("transports", "pipe,socket").split(","));
    System.out.printf(
        "# latency: %,d points/s, Kapacitor's two writes per point, warm-up %s, measure %s, %d"
            + " runs, agent JVM flags: %s%n",
        rate, warmup, measure, runs, jvmFlags().isEmpty() ? "(none)" : jvmFlags());
    Map<String, List<Latency.Result>> results = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (String transport : transports) {
        for (String udf : udfs()) {
          Target target = new Target(udf, transport);
          Latency.Result r = new Latency(target, rate, jvmFlags(), workDir).run(warmup, measure);
          results.computeIfAbsent(target.toString(), k -> new ArrayList<>()).add(r);
          System.out.printf(
              Locale.ROOT,
              "run %d  %-18s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  max %8.1f us"
                  + "  (%,d samples)%n",
              run,
              target,
              r.p50Nanos() / 1e3,
              r.p99Nanos() / 1e3,
              r.p999Nanos() / 1e3,
              r.maxNanos() / 1e3,
              r.samples());
        }
      }
    }
    System.out.println("# medians");
    System.out.println("| scenario | p50 µs | p99 µs | p99.9 µs | max µs |");
    System.out.println("|---|---:|---:|---:|---:|");
    results.forEach(
        (key, list) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.1f | %.1f |%n",
                key,
                Stats.median(list.stream().map(r -> r.p50Nanos() / 1e3).toList()),
                Stats.median(list.stream().map(r -> r.p99Nanos() / 1e3).toList()),
                Stats.median(list.stream().map(r -> r.p999Nanos() / 1e3).toList()),
                Stats.median(list.stream().map(r -> r.maxNanos() / 1e3).toList())));
  }

  /** No label where no window was asked for, so that such runs read as they always did. */
  private static String windowLabel(Target target, String window, List<String> windows) {
    return target.isEcho() || windows.equals(List.of(Paced.DEFAULT_WINDOW))
        ? ""
        : " window " + window;
  }

  private void paced() throws Exception {
    int runs = intOption("runs", 1);
    Duration warmup = seconds("warmup", 3);
    Duration measure = seconds("measure", 8);
    int prime = intOption("prime", 200_000);
    List<Integer> rates =
        Arrays.stream(option("rates", "10000,50000").split(",")).map(Integer::valueOf).toList();
    List<String> windows =
        List.of(option("windows", "0," + Paced.DEFAULT_WINDOW + ",2ms").split(","));
    List<String> transports = List.of(option("transports", "pipe,socket").split(","));
    System.out.printf(
        "# paced: Kapacitor's two writes per point, rates %s points/s, read windows %s, %,d points"
            + " to prime the JIT, then warm-up %s, measure %s, %d runs, agent JVM flags: %s%n",
        rates, windows, prime, warmup, measure, runs, jvmFlags().isEmpty() ? "(none)" : jvmFlags());
    Map<String, List<Paced.Result>> results = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (int rate : rates) {
        for (String transport : transports) {
          for (String udf : udfs()) {
            for (String window : udf.equals("echo") ? List.of("-") : windows) {
              Target target = new Target(udf, transport);
              Paced.Result r =
                  new Paced(target, window, rate, prime, jvmFlags(), workDir).run(warmup, measure);
              String key = String.format(Locale.ROOT, "%,d/s %s window %s", rate, target, window);
              results.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
              System.out.printf(
                  Locale.ROOT,
                  "run %d  %-40s %,8.0f points/s  CPU %6.3f us/point (user %6.3f, kernel %6.3f) "
                      + " switches %5.3f/point (voluntary %5.3f)  p50 %8.1f us  p99 %8.1f us  max"
                      + " %9.1f us  (%,d samples)  %s%n",
                  run,
                  key,
                  r.achievedRate(),
                  r.cpuNanosPerPoint() / 1e3,
                  r.userNanosPerPoint() / 1e3,
                  r.systemNanosPerPoint() / 1e3,
                  r.switchesPerPoint(),
                  r.voluntarySwitchesPerPoint(),
                  r.p50Nanos() / 1e3,
                  r.p99Nanos() / 1e3,
                  r.maxNanos() / 1e3,
                  r.samples(),
                  loadAverage());
            }
          }
        }
      }
    }
    System.out.println("# medians");
    System.out.println(
        "| scenario | agent CPU µs/point | of which kernel | context switches/point | p50 µs | p99"
            + " µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    results.forEach(
        (key, list) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.3f | %.0f | %.0f |%n",
                key,
                Stats.median(list.stream().map(r -> r.cpuNanosPerPoint() / 1e3).toList()),
                Stats.median(list.stream().map(r -> r.systemNanosPerPoint() / 1e3).toList()),
                Stats.median(list.stream().map(Paced.Result::switchesPerPoint).toList()),
                Stats.median(list.stream().map(r -> r.p50Nanos() / 1e3).toList()),
                Stats.median(list.stream().map(r -> r.p99Nanos() / 1e3).toList())));
  }

  private void coldStart() throws Exception {
    int runs = intOption("runs", 5);
    Duration idle = seconds("idle", 1);
    ColdStart coldStart = new ColdStart(workDir);
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("default", List.of());
    sets.put("no CDS", List.of("-Xshare:off"));
    sets.put("C1 only", List.of("-XX:TieredStopAtLevel=1"));
    sets.put("Serial GC", List.of("-XX:+UseSerialGC"));
    sets.put("small heap", List.of("-Xms8m", "-Xmx64m"));
    sets.put("Serial GC + small heap", List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m"));
    sets.put(
        "Serial GC + 24 MiB young, 64 MiB heap", List.of("-XX:+UseSerialGC", "-Xmn24m", "-Xmx64m"));
    if (ColdStart.canArchive()) {
      String archive = "-XX:SharedArchiveFile=" + coldStart.createArchive();
      sets.put("AppCDS", List.of(archive));
      sets.put("AppCDS + C1 only", List.of(archive, "-XX:TieredStopAtLevel=1"));
      sets.put(
          "AppCDS + Serial GC + small heap",
          List.of(archive, "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m"));
      sets.put(
          "AppCDS + Serial GC + small heap + C1 only",
          List.of(archive, "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1"));
      // A young generation of its own size: a heap left to grow from 8 MiB stays at a few MiB (the
      // live set is tiny) and collects hundreds of times a second under load.
      sets.put(
          "AppCDS + Serial GC + 24 MiB young, 64 MiB heap",
          List.of(archive, "-XX:+UseSerialGC", "-Xmn24m", "-Xmx64m"));
    } else {
      System.out.println(
          "# AppCDS skipped: the class path is not all jars (run from benchmarks.jar)");
    }
    System.out.printf(
        "# cold start of a process UDF (threshold): spawn to InfoResponse; idle RSS %s after Init;"
            + " %d runs each, the flag sets taking turns%n",
        idle, runs);
    Map<String, List<Double>> info = new LinkedHashMap<>();
    Map<String, List<Double>> rss = new LinkedHashMap<>();
    for (int run = 0; run < runs; run++) {
      for (Map.Entry<String, List<String>> set : sets.entrySet()) {
        ColdStart.Result r = coldStart.measure(set.getKey(), set.getValue(), 1, idle);
        info.computeIfAbsent(set.getKey(), k -> new ArrayList<>()).add(r.infoMillis());
        rss.computeIfAbsent(set.getKey(), k -> new ArrayList<>()).add(r.idleRssMiB());
      }
    }
    System.out.println(
        "| flags | InfoResponse ms (median) | idle RSS MiB (median) | runs ms | runs MiB |");
    System.out.println("|---|---:|---:|---|---|");
    for (Map.Entry<String, List<String>> set : sets.entrySet()) {
      String name = set.getKey();
      System.out.printf(
          Locale.ROOT,
          "| %s `%s` | %.0f | %.1f | %s | %s |%n",
          name,
          String.join(" ", set.getValue()).replace(workDir.toString(), "…"),
          Stats.median(info.get(name)),
          Stats.median(rss.get(name)),
          format(info.get(name), "%.0f"),
          format(rss.get(name), "%.1f"));
    }
  }

  private static String format(List<Double> values, String pattern) {
    return String.join(
        " ", values.stream().map(v -> String.format(Locale.ROOT, pattern, v)).toList());
  }

  private void soak() throws Exception {
    long points = Long.parseLong(option("points", "10000000"));
    System.out.printf(
        "# soak: %,d points through one socket session (pass-through), agent JVM flags: %s%n",
        points, jvmFlags().isEmpty() ? "(none)" : jvmFlags());
    Soak.Result r = new Soak(jvmFlags(), workDir).run(points);
    System.out.printf(
        Locale.ROOT,
        "# %,d points in %.1f s (%,.0f points/s), every one back%n",
        r.points(),
        r.seconds(),
        r.points() / r.seconds());
    System.out.println("| points back | agent RSS MiB |");
    System.out.println("|---:|---:|");
    for (Soak.Sample s : r.rss())
      System.out.printf("| %,d | %d |%n", s.points(), s.rssBytes() >> 20);
    List<Long> heap = r.heapAfterGcBytes();
    if (heap.size() < 10) {
      System.out.printf("# only %d GCs: heap after GC %s%n", heap.size(), heap);
      return;
    }
    int tenth = heap.size() / 10;
    List<Double> first = heap.subList(tenth, 2 * tenth).stream().map(b -> b / 1048576.0).toList();
    List<Double> last =
        heap.subList(heap.size() - tenth, heap.size()).stream().map(b -> b / 1048576.0).toList();
    System.out.printf(
        Locale.ROOT,
        "# %d GCs; heap after GC, median of the 2nd tenth: %.1f MiB, of the last tenth:"
            + " %.1f MiB; max after warm-up %.1f MiB%n",
        heap.size(),
        Stats.median(first),
        Stats.median(last),
        heap.subList(tenth, heap.size()).stream().mapToLong(Long::longValue).max().orElse(0)
            / 1048576.0);
  }
}
