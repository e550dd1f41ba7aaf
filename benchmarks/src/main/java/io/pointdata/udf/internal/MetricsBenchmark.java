package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting adds to the handler thread per point, alone, on one thread: the request counted,
 * its duration read off the clock into the histogram, its response counted; and the clock read by
 * itself. In the agent's package, since the counters are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class MetricsBenchmark {
  private static final UdfProto.Response POINT =
      UdfProto.Response.newBuilder().setPoint(UdfProto.Point.getDefaultInstance()).build();

  private final SessionMetrics metrics = new SessionMetrics("bench");
  private long started = System.nanoTime();

  /** The three calls the session makes for a point that the UDF forwards. */
  @Benchmark
  public long countPoint() {
    metrics.received(Request.MessageCase.POINT);
    started = metrics.handled(Request.MessageCase.POINT, started);
    metrics.emitted(POINT);
    return started;
  }

  /** The one clock read per request within {@link #countPoint()}. */
  @Benchmark
  public long clock() {
    return System.nanoTime();
  }
}
