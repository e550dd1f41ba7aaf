package io.pointdata.udf.bench;

import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole agent session per point, without the kernel: Info, Init and {@value #POINTS} points from
 * memory through {@link UdfAgent#serve}, its reader and handler threads, the hand-off, the UDF, and
 * the writer, into a discarding stream. Time per op is wall time per point with both threads
 * running; {@code -prof gc} gives bytes allocated per point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx512m"})
public class SessionBenchmark {
  static final int POINTS = 32 * 1024;

  @Param({"passthrough", "threshold"})
  public String udf;

  @Param({"eii", "wide"})
  public String shape;

  private byte[] input;

  @Setup
  public void setUp() {
    List<com.google.protobuf.MessageLite> requests = new ArrayList<>();
    requests.add(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build());
    UdfProto.InitRequest.Builder init = UdfProto.InitRequest.newBuilder();
    if (shape.equals("wide") && udf.equals("threshold")) {
      // The wide point has no temperature; classify one of its features instead.
      init.addOptions(
          UdfProto.Option.newBuilder()
              .setName("field")
              .addValues(
                  UdfProto.OptionValue.newBuilder()
                      .setType(UdfProto.ValueType.STRING)
                      .setStringValue("feature_3")));
    }
    requests.add(Request.newBuilder().setInit(init).build());
    for (int i = 0; i < POINTS; i++) {
      long time = Throughput.BASE_TIME + i;
      UdfProto.Point point =
          shape.equals("eii")
              ? Samples.eiiPoint(time, i % 2 == 0 ? 19.5 : 22.0)
              : Samples.widePoint(time);
      requests.add(Samples.request(point));
    }
    input = Samples.frames(requests);
  }

  @Benchmark
  @OperationsPerInvocation(POINTS)
  public long session() {
    NullOutputStream out = new NullOutputStream();
    if (!UdfAgent.serve(new ByteArrayInputStream(input), out, AgentMain.udf(udf).get())) {
      throw new IllegalStateException("the session did not end cleanly");
    }
    return out.bytes;
  }
}
