package io.pointdata.udf.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent at Kapacitor's pace: one session, points written at a fixed rate, each frame as
 * Kapacitor's UDF client writes it (the length, then the body, two unbuffered writes). Over the
 * measurement interval, after a warm-up, it takes the agent's CPU time (user and kernel, from the
 * kernel's accounting of the process), its context switches (all its threads) and each point's
 * latency, from the time it was due to be written until its answer is read.
 *
 * <p>Before the schedule starts, {@code prime} points are written as fast as the agent takes them
 * and read back, so that the JIT compilers have done their work: at 10,000 points/s a warm-up alone
 * would need tens of seconds for that, and their CPU time would count against the first points.
 *
 * <p>The writer sleeps until the next point is due, then writes every point that is due: it never
 * spins, so the driver leaves the cores to the agent. A sleep overshoots by some tens of
 * microseconds, so at high rates points leave in small bursts, as they do from Kapacitor.
 */
final class Paced {
  /**
   * One scenario's figures, per input point.
   *
   * @param window the agent's read window as passed to it ({@code default}: none passed)
   */
  record Result(
      Target target,
      String window,
      int rate,
      long pointsIn,
      double achievedRate,
      double userNanosPerPoint,
      double systemNanosPerPoint,
      double switchesPerPoint,
      double voluntarySwitchesPerPoint,
      int samples,
      long p50Nanos,
      long p99Nanos,
      long maxNanos) {
    double cpuNanosPerPoint() {
      return userNanosPerPoint + systemNanosPerPoint;
    }
  }

  /** The window that passes no property: the agent's default. */
  static final String DEFAULT_WINDOW = "default";

  private final Target target;
  private final String window;
  private final int rate;
  private final int prime;
  private final List<String> jvmFlags;
  private final Path workDir;

  Paced(Target target, String window, int rate, int prime, List<String> jvmFlags, Path workDir) {
    if (rate < 1) throw new IllegalArgumentException("rate < 1: " + rate);
    if (prime < 0) throw new IllegalArgumentException("prime < 0: " + prime);
    this.target = target;
    this.window = window;
    this.rate = rate;
    this.prime = prime;
    this.jvmFlags = jvmFlags;
    this.workDir = workDir;
  }

  /**
   * The agent's JVM flags: the window as {@code -Dudf.readWindow}, unless the echo or the default.
   */
  static List<String> flags(List<String> jvmFlags, Target target, String window) {
    List<String> flags = new ArrayList<>(jvmFlags);
    if (!target.isEcho() && !window.equals(DEFAULT_WINDOW)) flags.add("-Dudf.readWindow=" + window);
    return flags;
  }

  Result run(Duration warmup, Duration measure) throws Exception {
    long period = 1_000_000_000L / rate;
    long warmupPoints = warmup.toNanos() / period;
    long measuredPoints = measure.toNanos() / period;
    long total = warmupPoints + measuredPoints;
    long[] latencies = new long[(int) measuredPoints];
    int[] count = new int[1];
    Path socket = workDir.resolve("p.sock");
    try (AgentProcess agent =
        target.spawn(flags(jvmFlags, target, window), socket, workDir.resolve("agent-paced.log"))) {
      Link link =
          target.isSocket()
              ? Link.connect(socket, Duration.ofSeconds(20))
              : Link.of(agent.process());
      Peer peer = new Peer(link);
      if (!target.isEcho()) peer.handshake();
      KapacitorWrites writes = new KapacitorWrites(peer.output());
      long[] start = {Long.MAX_VALUE};
      java.util.concurrent.CountDownLatch primed = new java.util.concurrent.CountDownLatch(1);
      long primedBack = (long) Math.ceil(prime * target.forwardedFraction());
      peer.startReader(
          "paced-reader",
          time -> {
            long now = System.nanoTime();
            long seq = time - Throughput.BASE_TIME;
            if (seq < 0) {
              if (peer.received() + 1 == primedBack) primed.countDown();
            } else if (seq >= warmupPoints && seq < total) {
              latencies[count[0]++] = now - (start[0] + seq * period);
            }
          });
      // Primed points have times before BASE_TIME, so the reader tells them apart.
      for (int i = 0; i < prime; i++) {
        double temperature = i % 2 == 0 ? 19.5 : 22.0;
        writes.write(
            Samples.request(Samples.eiiPoint(Throughput.BASE_TIME - prime + i, temperature))
                .toByteArray());
      }
      if (prime > 0 && !primed.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IOException(target + ": the " + prime + " priming points did not all come back");
      }
      start[0] = System.nanoTime() + 10_000_000;
      long startNanos = start[0];
      AtomicLong written = new AtomicLong();
      Sample[] samples = new Sample[2];
      Thread sampler =
          new Thread(
              () -> {
                try {
                  samples[0] = sampleAt(agent, startNanos + warmupPoints * period, written);
                  samples[1] = sampleAt(agent, startNanos + total * period, written);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "paced-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long expected = 0;
      long next = 0;
      while (next < total) {
        long due = startNanos + next * period;
        long now = System.nanoTime();
        if (now < due) {
          LockSupport.parkNanos(due - now);
          continue;
        }
        // Every point that is due now, each as Kapacitor writes it.
        long upTo = Math.min(total, (now - startNanos) / period + 1);
        for (; next < upTo; next++) {
          double temperature =
              next % 2 == 0 ? 19.5 : 22.0; // the classifier forwards every other one
          if (target.forwards(temperature) && next >= warmupPoints) expected++;
          writes.write(
              Samples.request(Samples.eiiPoint(Throughput.BASE_TIME + next, temperature))
                  .toByteArray());
          written.lazySet(next + 1);
        }
      }
      sampler.join();
      peer.finish(target, expected, () -> count[0]);
      Sample from = samples[0];
      Sample to = samples[1];
      double points = to.written - from.written;
      int n = count[0];
      return new Result(
          target,
          window,
          rate,
          (long) points,
          points / ((to.nanos - from.nanos) / 1e9),
          (to.userNanos - from.userNanos) / points,
          (to.systemNanos - from.systemNanos) / points,
          (to.switches - from.switches) / points,
          (to.voluntarySwitches - from.voluntarySwitches) / points,
          n,
          Stats.percentile(latencies, n, 0.50),
          Stats.percentile(latencies, n, 0.99),
          Stats.percentile(latencies, n, 1.0));
    }
  }

  private record Sample(
      long nanos,
      long written,
      long userNanos,
      long systemNanos,
      long switches,
      long voluntarySwitches) {}

  /**
   * Waits until {@code when}, then reads the agent's accounting and how many points have been
   * written.
   */
  private static Sample sampleAt(AgentProcess agent, long when, AtomicLong written)
      throws IOException {
    long left;
    while ((left = when - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    long[] cpu = agent.userAndSystemNanos();
    long[] switches = agent.contextSwitches();
    return new Sample(
        System.nanoTime(), written.get(), cpu[0], cpu[1], switches[0] + switches[1], switches[0]);
  }
}
