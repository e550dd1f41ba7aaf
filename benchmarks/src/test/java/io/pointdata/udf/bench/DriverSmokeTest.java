package io.pointdata.udf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each part of the end-to-end driver briefly against real spawned agents. It checks that the
 * runs complete and account for every point, never how fast they were.
 */
class DriverSmokeTest {
  private static final Duration WARMUP = Duration.ofMillis(200);
  private static final Duration MEASURE = Duration.ofMillis(300);

  @TempDir Path dir;

  @Test
  void throughputOverAPipeGetsEveryPassedThroughPointBack() throws Exception {
    Throughput.Result r =
        new Throughput(
                new Target("passthrough", "pipe"), 1, Throughput.Writes.BLOCK, List.of(), dir)
            .run(WARMUP, MEASURE);
    assertTrue(r.pointsBack() > 0, "no points came back");
    assertTrue(r.agentCpuNanosPerPoint() > 0, "no agent CPU time was accounted");
    assertTrue(r.peakRssBytes() > 0, "no peak RSS was read");
  }

  @Test
  void throughputOverTwoSocketSessionsGetsEveryForwardedPointBack() throws Exception {
    Throughput.Result r =
        new Throughput(
                new Target("threshold", "socket"), 2, Throughput.Writes.KAPACITOR, List.of(), dir)
            .run(WARMUP, MEASURE);
    assertTrue(r.pointsBack() > 0, "no points came back");
    assertEquals(
        0,
        r.pointsBack() % (Throughput.BLOCK_POINTS / 2),
        "the threshold forwards half of each block");
  }

  @Test
  void echoOverAPipeReturnsEveryFrame() throws Exception {
    Throughput.Result r =
        new Throughput(new Target("echo", "pipe"), 1, Throughput.Writes.BLOCK, List.of(), dir)
            .run(WARMUP, MEASURE);
    assertEquals(0, r.pointsBack() % Throughput.BLOCK_POINTS, "the echo returns whole blocks");
    assertTrue(r.pointsBack() > 0, "nothing came back");
  }

  @Test
  void latencyIsTimedForEveryForwardedPoint() throws Exception {
    Latency.Result r =
        new Latency(new Target("threshold", "socket"), 2000, List.of(), dir)
            .run(Duration.ofMillis(100), MEASURE);
    assertEquals(300, r.samples(), "600 points measured, every other one forwarded");
    assertPercentilesInOrder(r.p50Nanos(), r.p99Nanos(), r.maxNanos());
  }

  @Test
  void pacedRunTimesEveryForwardedPointAndReadsTheAgentsAccounting() throws Exception {
    Paced.Result r =
        new Paced(new Target("threshold", "pipe"), "1ms", 2000, 1000, List.of(), dir)
            .run(Duration.ofMillis(200), Duration.ofMillis(500));
    assertEquals(500, r.samples(), "1,000 points measured, every other one forwarded");
    assertTrue(r.pointsIn() > 0, "points written in the interval");
    assertTrue(
        r.userNanosPerPoint() >= 0 && r.systemNanosPerPoint() >= 0, "CPU time read from /proc");
    assertTrue(r.switchesPerPoint() > 0, "context switches read from /proc");
    assertPercentilesInOrder(r.p50Nanos(), r.p99Nanos(), r.maxNanos());
  }

  @Test
  void coldStartTimesTheInfoResponseAndReadsIdleMemory() throws Exception {
    ColdStart.Result r =
        new ColdStart(dir).measure("default", List.of(), 1, Duration.ofMillis(100));
    assertTrue(r.infoMillis() > 0, "no start time");
    assertTrue(r.idleRssMiB() > 1, "no idle RSS");
  }

  @Test
  void soakSendsEveryPointAndReadsTheGcLog() throws Exception {
    Soak.Result r = new Soak(List.of("-Xmx16m"), dir).run(100_000);
    assertEquals(100_352, r.points(), "whole blocks of 1024");
    assertFalse(r.rss().isEmpty(), "no memory samples");
    assertFalse(r.heapAfterGcBytes().isEmpty(), "a 16 MiB heap collects during 100,000 points");
  }

  private static void assertPercentilesInOrder(long p50, long p99, long max) {
    assertTrue(
        p50 > 0 && p50 <= p99 && p99 <= max,
        "0 < p50 <= p99 <= max, was p50 " + p50 + ", p99 " + p99 + ", max " + max);
  }
}
