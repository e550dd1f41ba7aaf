package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.internal.AcceptingHandler;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Output that crashes Kapacitor (PROTOCOL.md §4) is refused at the handler's call site. */
class OutputValidationTest {

  /** A protocol-level handler whose point() sends whatever the test says. */
  private static UdfHandler sending(Consumer<ResponseSink> onPoint) {
    return new AcceptingHandler() {
      @Override
      public void point(UdfProto.Point point, ResponseSink out) {
        onPoint.accept(out);
      }
    };
  }

  private static String errorAfterOnePoint(Consumer<ResponseSink> onPoint) throws Exception {
    try (AgentWire wire = AgentWire.start(sending(onPoint))) {
      wire.point(UdfProto.Point.getDefaultInstance());
      Response last = null;
      for (Response r : wire.takeUntilEof()) last = r;
      assertEquals(
          MessageCase.ERROR, last.getMessageCase(), "the session ends with an ErrorResponse");
      return last.getError().getError();
    }
  }

  private static Response begin(long size) {
    return Response.newBuilder()
        .setBegin(UdfProto.BeginBatch.newBuilder().setName("b").setSize(size))
        .build();
  }

  private static Response end() {
    return Response.newBuilder().setEnd(UdfProto.EndBatch.newBuilder().setName("b")).build();
  }

  @Test
  void endBatchWithoutBeginBatchIsRefused() throws Exception {
    assertEquals(
        "error processing request of type point: IllegalStateException: EndBatch sent without a"
            + " BeginBatch: Kapacitor would crash",
        errorAfterOnePoint(out -> out.send(end())));
  }

  @Test
  void negativeBeginBatchSizeIsRefused() throws Exception {
    String error = errorAfterOnePoint(out -> out.send(begin(-1)));
    assertTrue(error.endsWith("BeginBatch.size is -1; it must be >= 0 (0 = unknown)"), error);
  }

  @Test
  void responseWithNoMessageIsRefused() throws Exception {
    String error = errorAfterOnePoint(out -> out.send(Response.getDefaultInstance()));
    assertTrue(
        error.endsWith("response has no message set (0 unknown fields): Kapacitor would crash"),
        error);
  }

  @Test
  void secondBeginBatchBeforeEndIsRefused() throws Exception {
    String error =
        errorAfterOnePoint(
            out -> {
              out.send(begin(0));
              out.send(begin(0));
            });
    assertTrue(
        error.endsWith("BeginBatch sent while batch 'b' is open; send its EndBatch first"), error);
  }

  @Test
  void managementResponsesFromAHandlerAreRefused() throws Exception {
    String error =
        errorAfterOnePoint(
            out ->
                out.send(
                    Response.newBuilder()
                        .setInit(UdfProto.InitResponse.newBuilder().setSuccess(true))
                        .build()));
    assertTrue(
        error.endsWith(
            "INIT responses are the agent's to send; a handler sends points and batches"),
        error);
  }

  @Test
  void validOutputBeforeTheRefusalIsDelivered() throws Exception {
    try (AgentWire wire =
        AgentWire.start(
            sending(
                out -> {
                  out.send(begin(1));
                  out.send(
                      Response.newBuilder()
                          .setPoint(UdfProto.Point.newBuilder().setTime(7))
                          .build());
                  out.send(end());
                  out.send(end());
                }))) {
      wire.point(UdfProto.Point.getDefaultInstance());
      List<MessageCase> kinds = wire.takeUntilEof().stream().map(Response::getMessageCase).toList();
      assertEquals(
          List.of(MessageCase.BEGIN, MessageCase.POINT, MessageCase.END, MessageCase.ERROR), kinds);
    }
  }

  @Test
  void streamUdfCannotEmitABatch() throws Exception {
    Udf udf =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void point(Point point, Emitter out) {
            out.emit(Batch.named("b").point(point).build());
          }
        };
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init().take(MessageCase.INIT);
      wire.point(UdfProto.Point.getDefaultInstance());
      assertEquals(
          "error processing request of type point: IllegalStateException: this UDF provides a"
              + " stream (see its UdfSpec); emit points, not a Batch",
          wire.take(MessageCase.ERROR).getError().getError());
    }
  }
}
