package io.pointdata.udf.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of one point through the agent at a fixed, moderate rate: each point is written on its
 * schedule with Kapacitor's two writes, and its latency runs from that schedule (not from when the
 * write happened, so a stalled writer is counted, not hidden) until its response is read back.
 */
final class Latency {
  record Result(
      Target target,
      int rate,
      int samples,
      long p50Nanos,
      long p99Nanos,
      long p999Nanos,
      long maxNanos) {}

  private final Target target;
  private final int rate;
  private final List<String> jvmFlags;
  private final Path workDir;

  Latency(Target target, int rate, List<String> jvmFlags, Path workDir) {
    if (rate < 1) throw new IllegalArgumentException("rate < 1: " + rate);
    this.target = target;
    this.rate = rate;
    this.jvmFlags = jvmFlags;
    this.workDir = workDir;
  }

  Result run(Duration warmup, Duration measure) throws Exception {
    long period = 1_000_000_000L / rate;
    int warmupPoints = (int) (warmup.toNanos() / period);
    int total = warmupPoints + (int) (measure.toNanos() / period);
    long[] latencies = new long[total - warmupPoints];
    int[] count = new int[1];
    Path socket = workDir.resolve("l.sock");
    try (AgentProcess agent =
        target.spawn(jvmFlags, socket, workDir.resolve("agent-latency.log"))) {
      Link link =
          target.isSocket()
              ? Link.connect(socket, Duration.ofSeconds(20))
              : Link.of(agent.process());
      Peer peer = new Peer(link);
      if (!target.isEcho()) peer.handshake();
      KapacitorWrites writes = new KapacitorWrites(peer.output());
      long start = System.nanoTime() + 10_000_000;
      peer.startReader(
          "latency-reader",
          time -> {
            long now = System.nanoTime();
            long seq = time - Throughput.BASE_TIME;
            if (seq >= warmupPoints) latencies[count[0]++] = now - (start + seq * period);
          });
      long expected = 0;
      for (int i = 0; i < total; i++) {
        // Alternate cold and normal points, so the threshold forwards every other one.
        double temperature = i % 2 == 0 ? 19.5 : 22.0;
        if (target.forwards(temperature) && i >= warmupPoints) expected++;
        byte[] body =
            Samples.request(Samples.eiiPoint(Throughput.BASE_TIME + i, temperature)).toByteArray();
        awaitSchedule(start + i * period);
        writes.write(body);
      }
      peer.finish(target, expected, () -> count[0]);
      int n = count[0];
      return new Result(
          target,
          rate,
          n,
          Stats.percentile(latencies, n, 0.50),
          Stats.percentile(latencies, n, 0.99),
          Stats.percentile(latencies, n, 0.999),
          Stats.percentile(latencies, n, 1.0));
    }
  }

  /**
   * Sleeps until close to the deadline, then spins: parking alone overshoots by tens of
   * microseconds.
   */
  private static void awaitSchedule(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      if (left > 80_000) LockSupport.parkNanos(left - 60_000);
      else Thread.onSpinWait();
    }
  }
}
