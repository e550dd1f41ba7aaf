package io.pointdata.udf.testing;

import com.google.protobuf.ByteString;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A port of Kapacitor's Go {@code moving_avg} example handler, faithful down to its snapshot format
 * (Go's gob of its state map), so that Kapacitor's capture of the Go UDF replays against it. Like
 * the Go code, it keeps fieldsBool (added to the protocol after the example was written).
 */
public final class GoMovingAvg implements UdfHandler {
  /** The state of one group: the Go struct {Size int; Window []float64; Avg float64}. */
  static final class State {
    long size;
    List<Double> window = new ArrayList<>();
    double avg;

    double update(double value) {
      int l = window.size();
      if (size == l) {
        avg += value / l - window.get(0) / l;
        window.remove(0);
      } else {
        avg = (value + l * avg) / (l + 1);
      }
      window.add(value);
      return avg;
    }
  }

  private String field = "";
  private long size;
  private String as = "avg";
  private Map<String, State> state = new TreeMap<>();

  @Override
  public UdfProto.InfoResponse info() {
    UdfProto.OptionInfo string =
        UdfProto.OptionInfo.newBuilder().addValueTypes(UdfProto.ValueType.STRING).build();
    UdfProto.OptionInfo integer =
        UdfProto.OptionInfo.newBuilder().addValueTypes(UdfProto.ValueType.INT).build();
    return UdfProto.InfoResponse.newBuilder()
        .setWants(UdfProto.EdgeType.STREAM)
        .setProvides(UdfProto.EdgeType.STREAM)
        .putOptions("field", string)
        .putOptions("size", integer)
        .putOptions("as", string)
        .build();
  }

  @Override
  public UdfProto.InitResponse init(UdfProto.InitRequest request) {
    for (UdfProto.Option opt : request.getOptionsList()) {
      switch (opt.getName()) {
        case "field" -> field = opt.getValues(0).getStringValue();
        case "size" -> size = opt.getValues(0).getIntValue();
        case "as" -> as = opt.getValues(0).getStringValue();
        default -> {}
      }
    }
    StringBuilder error = new StringBuilder();
    if (field.isEmpty()) error.append(" must supply field");
    if (size == 0) error.append(" must supply window size");
    if (as.isEmpty()) error.append(" invalid as name provided");
    return UdfProto.InitResponse.newBuilder()
        .setSuccess(error.length() == 0)
        .setError(error.toString())
        .build();
  }

  @Override
  public UdfProto.SnapshotResponse snapshot() {
    return UdfProto.SnapshotResponse.newBuilder()
        .setSnapshot(ByteString.copyFrom(Gob.encode(state)))
        .build();
  }

  @Override
  public UdfProto.RestoreResponse restore(UdfProto.RestoreRequest request) {
    try {
      state = Gob.decode(request.getSnapshot().toByteArray());
      return UdfProto.RestoreResponse.newBuilder().setSuccess(true).build();
    } catch (IllegalArgumentException e) {
      return UdfProto.RestoreResponse.newBuilder()
          .setSuccess(false)
          .setError(e.getMessage())
          .build();
    }
  }

  @Override
  public void point(UdfProto.Point p, ResponseSink out) {
    double value = p.getFieldsDoubleOrDefault(field, 0.0);
    State s =
        state.computeIfAbsent(
            p.getGroup(),
            g -> {
              State fresh = new State();
              fresh.size = size;
              return fresh;
            });
    double avg = s.update(value);
    UdfProto.Point result =
        p.toBuilder()
            .clearFieldsDouble()
            .putFieldsDouble(as, avg)
            .clearFieldsInt()
            .clearFieldsString()
            .build();
    out.send(UdfProto.Response.newBuilder().setPoint(result).build());
  }

  /** Process mode, or {@code --socket PATH}, as the Go example's {@code -socket} flag. */
  public static void main(String[] args) throws Exception {
    Protocol.main(args, GoMovingAvg::new);
  }
}
