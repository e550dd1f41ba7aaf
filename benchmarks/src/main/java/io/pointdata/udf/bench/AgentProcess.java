package io.pointdata.udf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the driver spawns to serve Kapacitor's side: a UDF or the echo, over its stdin/stdout or a
 * socket. Reads the process's own CPU and memory accounting from the kernel.
 */
final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  final long startNanos;

  private AgentProcess(Process process, Path log, long startNanos) {
    this.process = process;
    this.log = log;
    this.startNanos = startNanos;
  }

  /**
   * Starts {@code java <jvmFlags> -cp <classpath> <mainClass> <args>}; its stderr goes to {@code
   * log}.
   */
  static AgentProcess start(List<String> jvmFlags, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    long start = System.nanoTime();
    return new AgentProcess(builder.start(), log, start);
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  /** User plus system CPU time the process has used, in nanoseconds (10 ms resolution). */
  long cpuNanos() {
    return process
        .info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("no CPU accounting for pid " + pid()));
  }

  /**
   * User and system CPU time of the process (all threads, live and exited), in nanoseconds, from
   * {@code /proc/PID/stat} (clock ticks of 10 ms).
   */
  long[] userAndSystemNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    // Fields after the command, which is in parentheses and may hold spaces: state is field 3.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long tick = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    return new long[] {
      Long.parseLong(fields[14 - 3]) * tick, Long.parseLong(fields[15 - 3]) * tick
    };
  }

  /**
   * Linux's USER_HZ, what {@code getconf CLK_TCK} prints: 100 on every architecture Linux supports
   * today.
   */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  /**
   * Voluntary and involuntary context switches of all the process's live threads, summed from
   * {@code /proc/PID/task/TID/status} ({@code /proc/PID/status} counts the main thread alone).
   */
  long[] contextSwitches() throws IOException {
    long voluntary = 0;
    long involuntary = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : tasks.toList()) {
        List<String> lines;
        try {
          lines = Files.readAllLines(task.resolve("status"));
        } catch (IOException exited) {
          continue;
        }
        for (String line : lines) {
          if (line.startsWith("voluntary_ctxt_switches:"))
            voluntary += Long.parseLong(line.split("\\s+")[1]);
          if (line.startsWith("nonvoluntary_ctxt_switches:"))
            involuntary += Long.parseLong(line.split("\\s+")[1]);
        }
      }
    }
    return new long[] {voluntary, involuntary};
  }

  /** Resident memory now, in bytes. */
  long rssBytes() throws IOException {
    return status("VmRSS:");
  }

  /** The most resident memory the process has had, in bytes. */
  long peakRssBytes() throws IOException {
    return status("VmHWM:");
  }

  private long status(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(key)) {
        String[] parts = line.substring(key.length()).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IOException("no " + key + " in /proc/" + pid() + "/status");
  }

  /** Waits for the process to exit; returns its status. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "agent " + pid() + " did not exit within " + timeout + "; log: " + logTail());
    }
    return process.exitValue();
  }

  /** The last lines the process wrote to stderr, for error messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Asks the process to stop (SIGTERM), then kills it if it lingers. */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS))
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
