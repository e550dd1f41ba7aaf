package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Replays the bytes Kapacitor v1.5.7 really sent to its Go and Python agents through our agent,
 * with UDFs that do what the captured ones did, and compares our responses with theirs.
 */
class CapturedSessionReplayTest {

  /**
   * Kapacitor's Go moving_avg example: per-group moving average of {@code field} over {@code size}
   * points.
   */
  static final class MovingAverage implements Udf {
    static final Option<String> FIELD = Option.ofString("field");
    static final Option<Integer> SIZE = Option.ofInt("size").check(n -> n > 0, "must be positive");
    static final Option<String> AS = Option.ofString("as", "avg");

    private String field;
    private int size;
    private String as;
    private final Map<String, Window> windows = new HashMap<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().options(FIELD, SIZE, AS).build();
    }

    @Override
    public void init(InitContext ctx) {
      field = ctx.get(FIELD);
      size = ctx.get(SIZE);
      as = ctx.get(AS);
    }

    @Override
    public void point(Point point, Emitter out) {
      double avg =
          windows
              .computeIfAbsent(point.group(), g -> new Window(size))
              .update(point.doubleField(field));
      // As the Go example: the average replaces the double, int and string fields; bools stay.
      Point.Builder result = point.toBuilder();
      point.doubleFields().keySet().forEach(result::removeField);
      point.intFields().keySet().forEach(result::removeField);
      point.stringFields().keySet().forEach(result::removeField);
      out.emit(result.field(as, avg).build());
    }

    @Override
    public byte[] snapshot() {
      return ("windows:" + windows.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void restore(byte[] snapshot) {
      // The captured snapshot is a Go gob of the Go example's state; the capture's restore
      // succeeded.
    }
  }

  /** The Go example's running average: exact arithmetic order matters for equality. */
  private static final class Window {
    private final int size;
    private final List<Double> values = new ArrayList<>();
    private double avg;

    Window(int size) {
      this.size = size;
    }

    double update(double value) {
      int l = values.size();
      if (l == size) {
        avg += value / l - values.remove(0) / l;
      } else {
        avg = (value + l * avg) / (l + 1);
      }
      values.add(value);
      return avg;
    }
  }

  /** Kapacitor's Python mirror example on a batch edge. */
  static final class BatchMirror implements Udf {
    @Override
    public UdfSpec spec() {
      return UdfSpec.batch().build();
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      out.emit(batch);
    }
  }

  @Test
  void goMovingAverageTaskSessionReplaysWithIdenticalPoints() throws Exception {
    List<Response> ours = replay("go_moving_avg_process.2", MovingAverage::new);
    List<Response> theirs = responses("go_moving_avg_process.2");
    // Our reader answers keepalives at once, ahead of requests still queued for the handler (the Go
    // agent answers them in turn); Kapacitor matches responses by kind, so compare each order
    // apart.
    assertEquals(keepalives(theirs), keepalives(ours));
    ours = withoutKeepalives(ours);
    theirs = withoutKeepalives(theirs);
    assertEquals(kinds(theirs), kinds(ours));
    for (int i = 0; i < theirs.size(); i++) {
      if (theirs.get(i).getMessageCase() == MessageCase.SNAPSHOT) {
        assertTrue(
            ours.get(i).getSnapshot().getSnapshot().size() > 0,
            "our own snapshot format, not a gob");
      } else {
        assertEquals(theirs.get(i), ours.get(i), "response " + i);
      }
    }
  }

  @Test
  void goMovingAverageInfoOnlySessionReplays() throws Exception {
    assertEquals(
        responses("go_moving_avg_process.1"),
        replay("go_moving_avg_process.1", MovingAverage::new));
  }

  @Test
  void pythonMirrorBatchSessionReplaysByteForByteInMeaning() throws Exception {
    assertEquals(
        responses("py_mirror_batch_process.1"),
        replay("py_mirror_batch_process.1", BatchMirror::new));
    assertEquals(
        responses("py_mirror_batch_process.2"),
        replay("py_mirror_batch_process.2", BatchMirror::new));
  }

  private static List<Response> replay(String capture, Supplier<Udf> udf) throws Exception {
    try (AgentWire wire = AgentWire.start(udf.get())) {
      wire.sendRaw(bytes(capture + ".requests.bin")).closeInput();
      List<Response> responses = wire.takeUntilEof();
      assertTrue(wire.sessionResult(), "the session ends cleanly");
      return responses;
    }
  }

  private static List<Response> responses(String capture) throws IOException {
    FrameReader<Response> frames =
        new FrameReader<>(
            new ByteArrayInputStream(bytes(capture + ".responses.bin")),
            Response.parser(),
            1 << 20);
    List<Response> all = new ArrayList<>();
    for (Response r; (r = frames.read()) != null; ) all.add(r);
    return all;
  }

  private static List<Response> keepalives(List<Response> responses) {
    return responses.stream().filter(Response::hasKeepalive).toList();
  }

  private static List<Response> withoutKeepalives(List<Response> responses) {
    return responses.stream().filter(r -> !r.hasKeepalive()).toList();
  }

  private static List<MessageCase> kinds(List<Response> responses) {
    return responses.stream().map(Response::getMessageCase).toList();
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in =
        CapturedSessionReplayTest.class.getResourceAsStream("/golden/wire/captured/" + file)) {
      if (in == null) throw new IllegalStateException("missing capture " + file);
      return in.readAllBytes();
    }
  }
}
