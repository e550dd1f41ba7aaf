package io.pointdata.udf.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A recorded exchange with one of the original EII Python UDFs: the requests it was given and the
 * responses it gave, in order (the two directions are not interleaved).
 *
 * @param name the trace's case name, e.g. {@code py_classifier_stream}
 * @param note what the case shows
 */
public record EiiTrace(String name, String note, List<Request> requests, List<Response> responses) {
  public EiiTrace {
    requests = List.copyOf(requests);
    responses = List.copyOf(responses);
  }

  /** The trace as a recording, for {@link KapacitorSimulator#replay}. */
  public Recording toRecording() {
    return Recording.of(requests, responses);
  }

  /**
   * Parses a trace: a JSON object with {@code case}, {@code note}, and {@code requests} and {@code
   * responses}, arrays of Request and Response messages in proto3 JSON.
   *
   * @throws IllegalArgumentException if it is not such an object
   */
  static EiiTrace parse(String name, String json) {
    try {
      Struct.Builder root = Struct.newBuilder();
      JsonFormat.parser().merge(json, root);
      Struct trace = root.build();
      Value caseName =
          trace.getFieldsOrDefault("case", Value.newBuilder().setStringValue(name).build());
      String note = trace.getFieldsOrDefault("note", Value.getDefaultInstance()).getStringValue();
      List<Request> requests = messages(trace, "requests", Request::newBuilder, name);
      List<Response> responses = messages(trace, "responses", Response::newBuilder, name);
      return new EiiTrace(caseName.getStringValue(), note, requests, responses);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "EII trace " + name + " is not valid: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> List<T> messages(
      Struct trace, String field, Supplier<Message.Builder> builders, String name)
      throws InvalidProtocolBufferException {
    Value list = trace.getFieldsMap().get(field);
    if (list == null || list.getKindCase() != Value.KindCase.LIST_VALUE) {
      throw new IllegalArgumentException("EII trace " + name + " has no '" + field + "' array");
    }
    ListValue values = list.getListValue();
    List<T> messages = new ArrayList<>();
    for (Value v : values.getValuesList()) {
      Message.Builder b = builders.get();
      JsonFormat.parser().merge(JsonFormat.printer().print(v), b);
      messages.add((T) b.build());
    }
    return messages;
  }
}
