package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each thing a UDF can send that crashes or confuses Kapacitor, sent by a peer that writes raw
 * frames (our agent refuses to send them), is reported with the reason.
 */
class ViolationsTest {
  private static final Point CPU = Point.named("cpu").field("usage", 1.0).build();
  private static final Batch BATCH =
      Batch.named("cpu").point(Point.builder().field("usage", 1.0).build()).build();

  @Test
  void responseWithNoMessageSetIsReportedAsAKapacitorCrash() {
    try (FakeKapacitor k = fake(RawPeer.stream((request, out) -> out.sendRaw(new byte[0])))) {
      k.init("").send(CPU);
      AssertionError error = assertThrows(AssertionError.class, k::takePoint);
      assertTrue(
          error.getMessage().contains("a Response with no message set (0 bytes)"),
          error.getMessage());
      assertTrue(error.getMessage().contains("kapacitord crashes"), error.getMessage());
      assertEquals("panic: unexpected response message <nil>", k.awaitFailure());
    }
  }

  @Test
  void responseWithOnlyAnUnknownFieldIsReportedAsAKapacitorCrash() {
    byte[] field7 = {0x38, 0x01};
    try (FakeKapacitor k = fake(RawPeer.stream((request, out) -> out.sendRaw(field7)))) {
      k.init("").send(CPU);
      assertEquals("panic: unexpected response message <nil>", k.awaitFailure());
      assertTrue(
          k.session().violations().get(0).contains("only unknown fields [7]"),
          k.session().violations().toString());
    }
  }

  @Test
  void endBatchWithoutBeginBatchIsReportedAsAKapacitorCrash() {
    RawPeer peer =
        RawPeer.batch(
            (request, out) -> {
              if (request.hasEnd())
                out.send(Response.newBuilder().setEnd(request.getEnd()).build());
            });
    try (FakeKapacitor k = fake(peer)) {
      k.init("").sendBatch(BATCH);
      AssertionError error = assertThrows(AssertionError.class, k::takeBatch);
      assertTrue(
          error.getMessage().contains("an EndBatch without a BeginBatch"), error.getMessage());
      assertEquals(
          "panic: runtime error: invalid memory address or nil pointer dereference",
          k.awaitFailure());
    }
  }

  @Test
  void negativeBeginBatchSizeIsReportedAsAKapacitorCrash() {
    // Answers at End: the crash ends the session, and answering at Begin could do so before the
    // test
    // has sent the rest of its batch.
    RawPeer peer =
        RawPeer.batch(
            (request, out) -> {
              if (request.hasEnd()) {
                UdfProto.EndBatch end = request.getEnd();
                out.send(
                    Response.newBuilder()
                        .setBegin(
                            UdfProto.BeginBatch.newBuilder()
                                .setName(end.getName())
                                .setGroup(end.getGroup())
                                .putAllTags(end.getTagsMap())
                                .setSize(-1))
                        .build());
              }
            });
    try (FakeKapacitor k = fake(peer)) {
      k.init("").sendBatch(BATCH);
      assertEquals("panic: runtime error: makeslice: cap out of range", k.awaitFailure());
      assertTrue(
          k.session().violations().get(0).contains("a BeginBatch with size -1"),
          k.session().violations().toString());
    }
  }

  @Test
  void answerNobodyAskedForIsReported() {
    RawPeer peer =
        RawPeer.stream(
            (request, out) ->
                out.send(
                    Response.newBuilder()
                        .setInit(UdfProto.InitResponse.newBuilder().setSuccess(true))
                        .build()));
    try (FakeKapacitor k = fake(peer)) {
      k.init("").send(CPU);
      String violation = k.awaitViolation();
      assertTrue(violation.contains("InitResponse nobody asked for"), violation);
      assertTrue(violation.contains("takes it as the answer to the next Init"), violation);
    }
  }

  @Test
  void dataOfAnEdgeTheUdfDoesNotProvideIsReported() {
    RawPeer peer =
        RawPeer.stream(
            (request, out) -> {
              out.send(
                  Response.newBuilder()
                      .setBegin(UdfProto.BeginBatch.newBuilder().setName("cpu"))
                      .build());
              out.send(
                  Response.newBuilder()
                      .setEnd(UdfProto.EndBatch.newBuilder().setName("cpu"))
                      .build());
            });
    try (FakeKapacitor k = fake(peer)) {
      k.init("").send(CPU);
      String violation = k.awaitViolation();
      assertTrue(
          violation.contains("sent a BeginBatch but its Info says provides=STREAM"), violation);
    }
  }

  @Test
  void beginBatchInsideAnOpenBatchIsReported() {
    RawPeer peer =
        RawPeer.batch(
            (request, out) -> {
              if (request.hasBegin()) {
                out.send(Response.newBuilder().setBegin(request.getBegin()).build());
                out.send(Response.newBuilder().setBegin(request.getBegin()).build());
              } else if (request.hasEnd()) {
                out.send(Response.newBuilder().setEnd(request.getEnd()).build());
              }
            });
    try (FakeKapacitor k = fake(peer)) {
      k.init("").sendBatch(BATCH);
      String violation = k.awaitViolation();
      assertTrue(violation.contains("sent a BeginBatch while batch 'cpu' was open"), violation);
    }
  }

  @Test
  void outputEndingInsideABatchIsReported() {
    RawPeer peer =
        RawPeer.batch(
            (request, out) -> {
              if (request.hasBegin())
                out.send(Response.newBuilder().setBegin(request.getBegin()).build());
            });
    FakeKapacitor k = fake(peer);
    k.init("").sendBatch(BATCH);
    k.session().snapshot(); // the BeginBatch has arrived once the snapshot answer has
    StopResult stop = k.stop();
    assertTrue(stop.problems().get(0).contains("output ended inside batch 'cpu'"), stop.toString());
    assertThrows(AssertionError.class, k::close);
  }

  @Test
  void udfThatIgnoresEndOfInputIsReported() {
    FakeKapacitor k = hanging(RawPeer.stream((request, out) -> {}).hangingAtEof());
    k.init("");
    StopResult stop = k.stop();
    assertEquals(1, stop.problems().size(), stop.toString());
    assertTrue(
        stop.problems()
            .get(0)
            .startsWith(
                "the UDF did not close its output within PT1S after its input was "
                    + "closed; Kapacitor would wait forever"),
        stop.toString());
    assertThrows(AssertionError.class, k::close);
  }

  @Test
  void processThatDoesNotExitAfterEndOfInputIsReported() {
    FakeKapacitor k = hanging(RawPeer.stream((request, out) -> {}).closingButNotExitingAtEof());
    k.init("");
    StopResult stop = k.stop();
    assertTrue(
        stop.problems()
            .get(0)
            .startsWith("the UDF process did not exit within PT1S after its stdin was " + "closed"),
        stop.toString());
    assertThrows(AssertionError.class, k::close);
  }

  @Test
  void udfThatIgnoresEndOfInputHangsKapacitorsStartup() {
    try (FakeKapacitor k = hanging(RawPeer.stream((request, out) -> {}).hangingAtEofAlways())) {
      AssertionError error = assertThrows(AssertionError.class, () -> k.init(""));
      assertTrue(error.getMessage().contains("startup-1"), error.getMessage());
      assertTrue(
          error.getMessage().contains("did not close its output within PT1S"), error.getMessage());
    }
  }

  @Test
  void closeFailsWhenTheUdfDoesNotStopCleanly() {
    FakeKapacitor k = hanging(RawPeer.stream((request, out) -> {}).hangingAtEof());
    k.init("");
    AssertionError error = assertThrows(AssertionError.class, k::close);
    assertTrue(error.getMessage().startsWith("the UDF did not stop cleanly"), error.getMessage());
  }

  @Test
  void errorResponseAbortsTheTask() {
    RawPeer peer =
        RawPeer.stream(
            (request, out) ->
                out.send(
                    Response.newBuilder()
                        .setError(UdfProto.ErrorResponse.newBuilder().setError("boom"))
                        .build()));
    try (FakeKapacitor k = fake(peer)) {
      k.init("").send(CPU);
      assertEquals("boom", k.awaitFailure());
      AssertionError error = assertThrows(AssertionError.class, () -> k.send(CPU));
      assertTrue(
          error.getMessage().contains("the UDF sent an ErrorResponse: \"boom\""),
          error.getMessage());
    }
  }

  @Test
  void frameThatIsNotAResponseIsAReadError() {
    byte[] truncatedMessage = {0x0a, 0x05};
    try (FakeKapacitor k = fake(RawPeer.stream((request, out) -> out.sendRaw(truncatedMessage)))) {
      k.init("").send(CPU);
      String failure = k.awaitFailure();
      assertTrue(failure.startsWith("read error: "), failure);
    }
  }

  @Test
  void unansweredInitFailsAfterTheResponseWait() {
    UdfTarget silent = RawPeer.stream((request, out) -> {}).neverAnsweringInit().target();
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(silent).responseWait(Duration.ofMillis(300)).build()) {
      TaskSession task = kapacitor.open();
      AssertionError error =
          assertThrows(
              AssertionError.class, () -> task.init(kapacitor.initRequest(TickOptions.none())));
      assertTrue(
          error
              .getMessage()
              .contains("no InitResponse within PT0.3S; Kapacitor has no timeout for it"),
          error.getMessage());
      assertEquals(java.util.Optional.of("no InitResponse"), task.failure());
    }
  }

  @Test
  void udfClosingItsOutputEarlyIsReported() {
    RawPeer peer = RawPeer.stream((request, out) -> out.close());
    try (FakeKapacitor k = fake(peer)) {
      k.init("").send(CPU);
      assertEquals("the UDF closed its output", k.awaitFailure());
    }
  }

  private static FakeKapacitor fake(RawPeer peer) {
    return FakeKapacitor.builder(peer.target()).build();
  }

  /** For a peer expected to hang: a short wait for it to close and exit. */
  private static FakeKapacitor hanging(RawPeer peer) {
    return FakeKapacitor.builder(peer.target()).exitWait(Duration.ofSeconds(1)).build();
  }
}
