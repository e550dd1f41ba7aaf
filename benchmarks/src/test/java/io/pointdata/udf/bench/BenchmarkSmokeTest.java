package io.pointdata.udf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every JMH benchmark once, briefly and in this JVM, so a broken benchmark fails the build.
 */
class BenchmarkSmokeTest {
  @Test
  void everyBenchmarkRunsForEachParameter() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(CodecBenchmark.class.getName())
            .include(SessionBenchmark.class.getName())
            .include(io.pointdata.udf.internal.MetricsBenchmark.class.getName())
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .verbosity(VerboseMode.SILENT)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(
        7 * 2 + 2 * 2 + 2,
        results.size(),
        "7 codec benchmarks x 2 shapes, 1 session benchmark x 2 UDFs x 2 shapes, 2 metrics"
            + " benchmarks");
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(
          score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " scored " + score);
    }
  }
}
