package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error policy: a call that throws ends the node, or, under DROP_AND_LOG, only its input. */
class OnErrorTest {

  /** Forwards points and batches; throws on tag kind=bad, after emitting if also emit=first. */
  static final class Picky implements Udf {
    private final UdfSpec spec;

    Picky(UdfSpec.Builder spec) {
      this.spec = spec.build();
    }

    @Override
    public UdfSpec spec() {
      return spec;
    }

    @Override
    public void point(Point point, Emitter out) {
      if ("first".equals(point.tag("emit"))) out.emit(point);
      if ("bad".equals(point.tag("kind")))
        throw new IllegalArgumentException("cannot score " + point.time());
      if ("wrong-edge".equals(point.tag("kind"))) out.emit(Batch.named("b").build());
      out.emit(point);
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      if ("bad".equals(batch.tags().get("kind"))) throw new IllegalStateException("empty window");
      out.emit(batch);
    }
  }

  private static UdfProto.Point point(long time, String kind) {
    UdfProto.Point.Builder p =
        UdfProto.Point.newBuilder().setTime(time).setName("m").setGroup("host=a,");
    if (kind != null) p.putTags("kind", kind);
    return p.build();
  }

  private static List<Long> pointTimes(List<Response> responses) {
    return responses.stream().filter(Response::hasPoint).map(r -> r.getPoint().getTime()).toList();
  }

  @Test
  void byDefaultAThrowingPointEndsTheNodeWithAnErrorNamingIt() throws Exception {
    try (AgentWire wire = AgentWire.start(new Picky(UdfSpec.stream()))) {
      wire.init().take(MessageCase.INIT);
      wire.point(point(1, null)).point(point(2, "bad")).point(point(3, null));
      List<Response> responses = wire.takeUntilEof();
      assertEquals(List.of(1L), pointTimes(responses));
      assertEquals(
          "error processing request of type point: IllegalArgumentException: cannot score 2",
          responses.get(responses.size() - 1).getError().getError());
      assertFalse(wire.sessionResult(), "the session ended cleanly");
    }
  }

  @Test
  void dropAndLogSkipsThrowingPointsAndKeepsWhatTheyEmittedBefore() throws Exception {
    try (AgentWire wire =
        AgentWire.start(new Picky(UdfSpec.stream().onError(OnError.DROP_AND_LOG)))) {
      wire.init().take(MessageCase.INIT);
      UdfProto.Point emitsThenFails = point(4, "bad").toBuilder().putTags("emit", "first").build();
      wire.point(point(1, null)).point(point(2, "bad")).point(point(3, null)).point(emitsThenFails);
      for (int t = 5; t < 2_005; t++) wire.point(point(t, "bad")); // more than the log lines shown
      wire.point(point(9_999, null));
      List<Response> responses = wire.closeInput().takeUntilEof();
      assertEquals(List.of(1L, 3L, 4L, 9_999L), pointTimes(responses));
      assertTrue(responses.stream().noneMatch(Response::hasError), responses.toString());
      assertTrue(wire.sessionResult(), "the session ends cleanly");
    }
  }

  @Test
  void dropAndLogDropsAThrowingBatchWhole() throws Exception {
    try (AgentWire wire =
        AgentWire.start(new Picky(UdfSpec.batch().onError(OnError.DROP_AND_LOG)))) {
      wire.init().take(MessageCase.INIT);
      sendBatch(wire, "bad", 1);
      sendBatch(wire, "good", 2);
      List<Response> responses = wire.closeInput().takeUntilEof();
      assertEquals(
          List.of(MessageCase.BEGIN, MessageCase.POINT, MessageCase.END),
          responses.stream().map(Response::getMessageCase).toList());
      assertEquals(2, responses.get(1).getPoint().getTime());
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void dropAndLogStillEndsTheNodeWhenEmittingFails() throws Exception {
    try (AgentWire wire =
        AgentWire.start(new Picky(UdfSpec.stream().onError(OnError.DROP_AND_LOG)))) {
      wire.init().take(MessageCase.INIT);
      wire.point(point(1, "wrong-edge"));
      String error = wire.take(MessageCase.ERROR).getError().getError();
      assertTrue(
          error.startsWith(
              "error processing request of type point: IllegalStateException: "
                  + "this UDF provides a stream"),
          error);
    }
  }

  private static void sendBatch(AgentWire wire, String kind, long time) {
    wire.send(
            Request.newBuilder()
                .setBegin(
                    UdfProto.BeginBatch.newBuilder()
                        .setName("b")
                        .setGroup("g")
                        .putTags("kind", kind)
                        .setSize(1))
                .build())
        .send(
            Request.newBuilder()
                .setPoint(
                    UdfProto.Point.newBuilder().setTime(time).setGroup("g").putTags("kind", kind))
                .build())
        .send(
            Request.newBuilder()
                .setEnd(
                    UdfProto.EndBatch.newBuilder()
                        .setName("b")
                        .setGroup("g")
                        .putTags("kind", kind)
                        .setTmax(time))
                .build());
  }
}
