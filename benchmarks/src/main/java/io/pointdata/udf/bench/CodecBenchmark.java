package io.pointdata.udf.bench;

import io.pointdata.udf.examples.ThresholdClassifier;
import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.internal.PointDecoder;
import io.pointdata.udf.internal.SessionSettings;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one point in the codec and in the agent's hot path, on one thread, without I/O.
 *
 * <p>{@code decode} reads one frame into a {@code Request} with the generated parser, {@code
 * decodeCopy} copies the frame out first (as the agent's reader does), {@code decodeFast} uses the
 * agent's own point decoder instead; {@code encode} writes one point {@code Response} frame into
 * the writer's buffer; {@code roundTrip} is both, as a pass-through UDF needs; {@code passThrough}
 * and {@code threshold} add the typed UDF layer (the {@code Udf} adapter, {@code Point}, the
 * emitter). Run with {@code -prof gc} for bytes allocated per point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx512m"})
public class CodecBenchmark {
  /** {@code eii}: 2 tags, 3 double fields; {@code wide}: 2 tags, 40 double fields. */
  @Param({"eii", "wide"})
  public String shape;

  private FrameReader<Request> reader;
  private final PointDecoder pointDecoder = new PointDecoder();
  private FrameWriter writer;
  private NullOutputStream sinkStream;
  private UdfProto.Response response;
  private UdfHandler passThrough;
  private UdfHandler threshold;
  private ResponseSink sink;

  @Setup
  public void setUp() throws Exception {
    // 1024 distinct frames, half of them outside the threshold's band, so branches stay realistic.
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      long time = 1_594_927_426_635_557_092L + i;
      UdfProto.Point point =
          shape.equals("eii")
              ? Samples.eiiPoint(time, i % 2 == 0 ? 19.5 : 22.0)
              : Samples.widePoint(time);
      requests.add(Samples.request(point));
    }
    reader =
        new FrameReader<>(
            new LoopingInputStream(Samples.frames(requests), 64 * 1024),
            Request.parser(),
            SessionSettings.DEFAULT_MAX_FRAME_SIZE);
    sinkStream = new NullOutputStream();
    writer = new FrameWriter(sinkStream);
    response = Samples.response(requests.get(1).getPoint());
    sink =
        r -> {
          try {
            writer.write(r);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    passThrough = Protocol.handler(new PassThrough());
    passThrough.init(UdfProto.InitRequest.getDefaultInstance());
    threshold = Protocol.handler(ThresholdClassifier.temperature());
    if (shape.equals("wide")) {
      threshold.init(
          UdfProto.InitRequest.newBuilder()
              .addOptions(
                  UdfProto.Option.newBuilder()
                      .setName("field")
                      .addValues(
                          UdfProto.OptionValue.newBuilder()
                              .setType(UdfProto.ValueType.STRING)
                              .setStringValue("feature_3")))
              .build());
    } else {
      threshold.init(UdfProto.InitRequest.getDefaultInstance());
    }
  }

  @Benchmark
  public Request decode() throws IOException {
    return reader.read();
  }

  /**
   * As the agent does it: the frame's bytes copied out of the read buffer, then the generated
   * parser.
   */
  @Benchmark
  public Request decodeCopy() throws IOException {
    return FrameReader.parse(Request.parser(), reader.readFrame(), 1);
  }

  /**
   * As the agent does it for a point alone in its frame: bytes copied out, then {@link
   * PointDecoder}.
   */
  @Benchmark
  public Request decodeFast() throws IOException {
    byte[] frame = reader.readFrame();
    return Request.newBuilder()
        .setPoint(pointDecoder.decode(frame, pointStart(frame), frame.length))
        .build();
  }

  /** Skips the Request's point tag ({@code 8a 01}) and the point's length. */
  private static int pointStart(byte[] frame) {
    int p = 2;
    while (frame[p] < 0) p++;
    return p + 1;
  }

  /** The point's size is memoised after the first call, as it is for a point encoded twice. */
  @Benchmark
  public long encode() throws IOException {
    writer.write(UdfProto.Response.newBuilder().setPoint(response.getPoint()).build());
    return sinkStream.bytes;
  }

  @Benchmark
  public long roundTrip() throws IOException {
    writer.write(UdfProto.Response.newBuilder().setPoint(reader.read().getPoint()).build());
    return sinkStream.bytes;
  }

  @Benchmark
  public long passThrough() throws Exception {
    passThrough.point(reader.read().getPoint(), sink);
    return sinkStream.bytes;
  }

  @Benchmark
  public long threshold() throws Exception {
    threshold.point(reader.read().getPoint(), sink);
    return sinkStream.bytes;
  }
}
