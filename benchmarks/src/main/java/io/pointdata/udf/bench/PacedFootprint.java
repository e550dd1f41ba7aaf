package io.pointdata.udf.bench;

import io.pointdata.udf.proto.UdfProto;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process UDF's footprint at Kapacitor's pace: the temperature classifier fed EII points at a
 * fixed rate (Kapacitor cannot feed one UDF much more than 60,000 points/s), each frame written as
 * Kapacitor's Go code writes it (the varint length, then the body, two unbuffered writes). For each
 * candidate command it reports the time from spawning the process to reading its InfoResponse, the
 * peak resident memory ({@code VmHWM}) over the whole run, and the agent's CPU per point while
 * streaming. The candidates take turns run by run, so a change in the machine's load hits them
 * alike.
 *
 * <pre>
 * java -cp benchmarks.jar io.pointdata.udf.bench.PacedFootprint [--runs 5] [--points 400000] [--rate 50000]
 *     --set NAME 'COMMAND' [--set NAME 'COMMAND' ...]
 * </pre>
 *
 * A COMMAND is a shell command line that runs the temperature UDF on stdin/stdout, e.g. {@code env
 * UDF_JAVA_OPTS='-Xmx32m' dist/bin/udf-examples temperature} (variables through {@code env}); it is
 * run as {@code sh -c 'exec COMMAND'}, so the measured process is the JVM itself (env and the
 * launcher exec it).
 */
public final class PacedFootprint {
  /** One run of one candidate. */
  record Run(
      double infoMillis, double peakRssMiB, double cpuMicrosPerPoint, double pointsPerSecond) {}

  private static final int INFO = 1;
  private static final int INIT = 2;
  private static final int ERROR = 6;
  private static final int POINT = 17;
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final int points;
  private final int rate;
  private final Path log;

  PacedFootprint(int points, int rate, Path log) {
    this.points = points;
    this.rate = rate;
    this.log = log;
  }

  public static void main(String[] args) throws Exception {
    int runs = 5;
    int points = 400_000;
    int rate = 50_000;
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--points" -> points = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--set" -> {
          sets.put(args[i + 1], args[i + 2]);
          i += 2;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (sets.isEmpty()) throw new IllegalArgumentException("no --set NAME 'COMMAND' given");

    PacedFootprint bench =
        new PacedFootprint(points, rate, Files.createTempFile("paced-footprint", ".log"));
    System.out.printf(
        Locale.ROOT,
        "# %d points at %d points/s, %d runs per set, interleaved; load average at start: %s%n",
        points,
        rate,
        runs,
        loadAverage());
    Map<String, List<Run>> results = new LinkedHashMap<>();
    sets.keySet().forEach(name -> results.put(name, new ArrayList<>()));
    for (int r = 1; r <= runs; r++) {
      for (Map.Entry<String, String> set : sets.entrySet()) {
        Run run = bench.run(set.getValue());
        results.get(set.getKey()).add(run);
        System.out.printf(
            Locale.ROOT,
            "run %d %-14s info %6.1f ms  peak RSS %6.1f MiB  CPU %5.2f us/point  %,.0f points/s%n",
            r,
            set.getKey(),
            run.infoMillis(),
            run.peakRssMiB(),
            run.cpuMicrosPerPoint(),
            run.pointsPerSecond());
      }
    }
    System.out.printf(Locale.ROOT, "# load average at end: %s%n", loadAverage());
    String first = sets.keySet().iterator().next();
    double baseRss = median(results.get(first), Run::peakRssMiB);
    double baseCpu = median(results.get(first), Run::cpuMicrosPerPoint);
    double baseInfo = median(results.get(first), Run::infoMillis);
    System.out.printf(
        Locale.ROOT,
        "%n| set | Info ms | peak RSS MiB | agent CPU µs/point | points/s | RSS, CPU, Info vs %s"
            + " |%n",
        first);
    System.out.println("|---|---:|---:|---:|---:|---|");
    for (Map.Entry<String, List<Run>> e : results.entrySet()) {
      List<Run> rs = e.getValue();
      double info = median(rs, Run::infoMillis);
      double rss = median(rs, Run::peakRssMiB);
      double cpu = median(rs, Run::cpuMicrosPerPoint);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f | %.2f | %,.0f | %.2f, %.2f, %.2f |%n",
          e.getKey(),
          info,
          rss,
          cpu,
          median(rs, Run::pointsPerSecond),
          rss / baseRss,
          cpu / baseCpu,
          info / baseInfo);
    }
    for (Map.Entry<String, String> set : sets.entrySet())
      System.out.println("# " + set.getKey() + ": " + set.getValue());
  }

  Run run(String command) throws Exception {
    long spawned = System.nanoTime();
    Process process =
        new ProcessBuilder("sh", "-c", "exec " + command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      KapacitorWrites out = new KapacitorWrites(process.getOutputStream());
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
      out.write(
          UdfProto.Request.newBuilder()
              .setInfo(UdfProto.InfoRequest.getDefaultInstance())
              .build()
              .toByteArray());
      expect(in, INFO, command);
      double infoMillis = (System.nanoTime() - spawned) / 1e6;
      out.write(
          UdfProto.Request.newBuilder()
              .setInit(UdfProto.InitRequest.getDefaultInstance())
              .build()
              .toByteArray());
      UdfProto.Response init = UdfProto.Response.parseFrom(expect(in, INIT, command));
      if (!init.getInit().getSuccess())
        throw new IOException("Init refused: " + init.getInit().getError());

      long expected = (points + 1) / 2; // every other point is an anomaly, which comes back
      CompletableFuture<Long> answered =
          CompletableFuture.supplyAsync(() -> countPoints(in, expected));
      long cpuBefore = cpuTicks(process.pid());
      long started = System.nanoTime();
      long period = 1_000_000_000L / rate;
      for (int i = 0; i < points; i++) {
        long due = started + i * period;
        long early = due - System.nanoTime();
        if (early > 200_000) LockSupport.parkNanos(early);
        double temperature = i % 2 == 0 ? 30.0 : 22.0;
        out.write(
            Samples.request(
                    Samples.eiiPoint(1_700_000_000_000_000_000L + i * 1_000_000L, temperature))
                .toByteArray());
      }
      long back = answered.get(120, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (back != expected)
        throw new IOException("expected " + expected + " points back, got " + back);
      long cpuTicks = cpuTicks(process.pid()) - cpuBefore;
      double peak = statusKiB(process.pid(), "VmHWM:") / 1024.0;
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS))
        throw new IOException("the UDF did not exit at end of input");
      if (process.exitValue() != 0)
        throw new IOException("the UDF exited with " + process.exitValue() + ", see " + log);
      return new Run(
          infoMillis, peak, cpuTicks * 1e6 / TICKS_PER_SECOND / points, points / seconds);
    } finally {
      process.destroyForcibly();
    }
  }

  /** Reads the next frame, which must be the response of field {@code field}; returns its body. */
  private static byte[] expect(DataInputStream in, int field, String command) throws IOException {
    byte[] frame = readFrame(in);
    if (frame == null) throw new EOFException("no response from " + command);
    int got = fieldOf(frame);
    if (got != field)
      throw new IOException(
          "expected response field " + field + ", got " + got + " from " + command);
    return frame;
  }

  /** Counts point responses until {@code expected} have come or the output ends. */
  private static long countPoints(DataInputStream in, long expected) {
    long count = 0;
    try {
      while (count < expected) {
        byte[] frame = readFrame(in);
        if (frame == null) break;
        int field = fieldOf(frame);
        if (field == POINT) count++;
        else if (field == ERROR)
          throw new IOException("the UDF answered an error: " + UdfProto.Response.parseFrom(frame));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return count;
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) return null;
    long length = first & 0x7f;
    for (int shift = 7; (first & 0x80) != 0; shift += 7) {
      first = in.readUnsignedByte();
      length |= (long) (first & 0x7f) << shift;
    }
    byte[] frame = new byte[Math.toIntExact(length)];
    in.readFully(frame);
    return frame;
  }

  private static int fieldOf(byte[] frame) {
    if (frame.length == 0) return 0;
    int tag = frame[0] & 0x7f;
    if (frame[0] < 0) tag |= (frame[1] & 0x7f) << 7;
    return tag >>> 3;
  }

  /**
   * User plus system CPU time of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
   */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long statusKiB(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(key))
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
    }
    throw new IOException("no " + key + " in /proc/" + pid + "/status");
  }

  private static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
    double[] sorted = runs.stream().mapToDouble(metric).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
