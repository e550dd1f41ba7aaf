package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each of Kapacitor's rules for a UDF's responses, applied directly: no UDF, no threads. */
class ResponseRulesTest {
  private static final UdfProto.InfoResponse STREAM = info(UdfProto.EdgeType.STREAM);
  private static final UdfProto.InfoResponse BATCH = info(UdfProto.EdgeType.BATCH);
  private static final Request SNAPSHOT_REQUEST =
      Request.newBuilder().setSnapshot(UdfProto.SnapshotRequest.getDefaultInstance()).build();
  private static final Response SNAPSHOT =
      Response.newBuilder()
          .setSnapshot(
              UdfProto.SnapshotResponse.newBuilder().setSnapshot(ByteString.copyFromUtf8("s")))
          .build();
  private static final Response INIT =
      Response.newBuilder().setInit(UdfProto.InitResponse.newBuilder().setSuccess(true)).build();
  private static final Response KEEPALIVE =
      Response.newBuilder()
          .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(7))
          .build();

  @Test
  void anExpectedAnswerWaitsInItsSlotUntilTaken() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    rules.expectAnswerTo(SNAPSHOT_REQUEST);
    assertNull(accept(rules, SNAPSHOT));
    assertNull(
        rules.takeAnswer(Response.MessageCase.INIT), "an answer is matched by its type only");
    assertSame(SNAPSHOT, rules.takeAnswer(Response.MessageCase.SNAPSHOT));
    assertNull(
        rules.takeAnswer(Response.MessageCase.SNAPSHOT), "the slot holds one answer, taken once");
    assertEquals(List.of(), rules.violations());
  }

  @Test
  void aSecondExpectedAnswerBeforeTheFirstIsTakenIsAViolation() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    rules.expectAnswerTo(SNAPSHOT_REQUEST);
    rules.expectAnswerTo(SNAPSHOT_REQUEST);
    accept(rules, SNAPSHOT);
    accept(rules, SNAPSHOT);
    assertEquals(
        List.of("a second SnapshotResponse arrived before the first was taken"),
        rules.violations());
  }

  @Test
  void anUnsolicitedAnswerIsBufferedAsTheNextRequestsAnswerAndAFurtherOneDropped() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    accept(rules, INIT);
    accept(rules, INIT);
    List<String> violations = rules.violations();
    assertEquals(2, violations.size(), violations.toString());
    assertTrue(
        violations
            .get(0)
            .startsWith(
                "the UDF sent a InitResponse nobody asked for: Kapacitor buffers it "
                    + "silently and takes it as the answer to the next Init request"),
        violations.get(0));
    assertTrue(
        violations
            .get(1)
            .contains("Kapacitor logs 'received message without requesting it' and drops it"),
        violations.get(1));
    assertSame(INIT, rules.takeAnswer(Response.MessageCase.INIT));
  }

  @Test
  void dataRequestsExpectNoAnswer() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    rules.expectAnswerTo(Request.newBuilder().setPoint(point("cpu")).build());
    accept(rules, SNAPSHOT);
    assertEquals(1, rules.violations().size(), rules.violations().toString());
    assertTrue(
        rules.violations().get(0).contains("SnapshotResponse nobody asked for"),
        rules.violations().get(0));
  }

  @Test
  void keepaliveAnswersAreCountedAndNeverUnsolicited() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    rules.expectAnswerTo(
        Request.newBuilder()
            .setKeepalive(UdfProto.KeepaliveRequest.newBuilder().setTime(7))
            .build());
    assertNull(accept(rules, KEEPALIVE));
    assertNull(accept(rules, KEEPALIVE));
    assertEquals(2, rules.keepaliveReplies());
    assertNull(rules.takeAnswer(Response.MessageCase.KEEPALIVE), "keepalive answers have no slot");
    assertEquals(List.of(), rules.violations());
  }

  @Test
  void aStreamPointBecomesAnOutputWithItsGroupRecomputed() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    UdfProto.Point sent =
        point("cpu").toBuilder()
            .putTags("host", "a")
            .addDimensions("host")
            .setGroup("bogus")
            .build();
    assertNull(accept(rules, Response.newBuilder().setPoint(sent).build()));
    assertEquals(1, rules.outputCount());
    assertSame(rules.peekOutput(), rules.peekOutput());
    Output.StreamPoint out = assertInstanceOf(Output.StreamPoint.class, rules.pollOutput());
    assertEquals("cpu", out.point().getName());
    assertEquals("host=a", out.point().getGroup());
    assertEquals(95.0, out.point().getFieldsDoubleOrThrow("usage"));
    assertNull(rules.pollOutput());
    assertEquals(0, rules.outputCount());
  }

  @Test
  void aBatchBecomesOneOutputAtItsEndBatch() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    accept(rules, begin("cpu", 2));
    accept(rules, Response.newBuilder().setPoint(point("cpu")).build());
    accept(rules, Response.newBuilder().setPoint(point("cpu")).build());
    assertNull(rules.pollOutput(), "Kapacitor forwards a batch only at its EndBatch");
    assertEquals(
        " (batch 'cpu' is open with 2 point(s): Kapacitor forwards a batch only at its EndBatch)",
        rules.describeOpenBatch());
    assertNull(accept(rules, end("cpu", 42)));
    Output.Batch batch = assertInstanceOf(Output.Batch.class, rules.pollOutput());
    assertEquals("cpu", batch.name());
    assertEquals(42, batch.tmax());
    assertEquals(2, batch.points().size());
    assertEquals(
        "", batch.points().get(0).getName(), "a batch's point keeps only time, tags and fields");
    assertEquals("", rules.describeOpenBatch());
    assertEquals(List.of(), rules.violations());
  }

  @Test
  void anErrorResponseAbortsWithTheUdfsMessageButIsNoViolation() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    ResponseRules.Ending ending =
        accept(
            rules,
            Response.newBuilder()
                .setError(UdfProto.ErrorResponse.newBuilder().setError("boom"))
                .build());
    assertNotNull(ending);
    assertEquals("boom", ending.error());
    assertFalse(ending.crash(), ending.explanation());
    assertTrue(
        ending.explanation().contains("the UDF sent an ErrorResponse: \"boom\""),
        ending.explanation());
    assertFalse(rules.crashed(), "crashed; violations: " + rules.violations());
    assertEquals(List.of(), rules.violations());
  }

  @Test
  void aResponseWithNoMessageCrashesKapacitor() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    ResponseRules.Ending ending = rules.accept(Response.getDefaultInstance(), 0);
    assertCrash(
        rules,
        ending,
        "panic: unexpected response message <nil>",
        "a Response with no message set (0 bytes)");
  }

  @Test
  void aResponseWithOnlyUnknownFieldsNamesThem() throws InvalidProtocolBufferException {
    ResponseRules rules = new ResponseRules("t", STREAM);
    byte[] field7 = {0x38, 0x01};
    ResponseRules.Ending ending = rules.accept(Response.parseFrom(field7), field7.length);
    assertCrash(
        rules,
        ending,
        "panic: unexpected response message <nil>",
        "(2 bytes, only unknown fields [7])");
  }

  @Test
  void anEndBatchWithoutABeginBatchCrashesKapacitor() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    ResponseRules.Ending ending = accept(rules, end("cpu", 1));
    assertCrash(
        rules,
        ending,
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "an EndBatch without a BeginBatch");
    assertNull(rules.pollOutput());
  }

  @Test
  void aNegativeBeginBatchSizeCrashesKapacitorAndOpensNoBatch() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    ResponseRules.Ending ending = accept(rules, begin("cpu", -1));
    assertCrash(
        rules,
        ending,
        "panic: runtime error: makeslice: cap out of range",
        "a BeginBatch with size -1");
    assertEquals("", rules.describeOpenBatch());
  }

  @Test
  void afterACrashLaterResponsesAreIgnored() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    rules.accept(Response.getDefaultInstance(), 0);
    assertNull(accept(rules, KEEPALIVE));
    assertNull(accept(rules, Response.newBuilder().setPoint(point("cpu")).build()));
    assertNull(accept(rules, Response.getDefaultInstance()), "kapacitord crashes once");
    assertEquals(0, rules.keepaliveReplies());
    assertEquals(0, rules.outputCount());
    assertEquals(1, rules.violations().size(), rules.violations().toString());
  }

  @Test
  void aBeginBatchInsideAnOpenBatchDropsTheOpenOne() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    accept(rules, begin("first", 1));
    accept(rules, Response.newBuilder().setPoint(point("cpu")).build());
    assertNull(accept(rules, begin("second", 0)));
    assertEquals(
        List.of(
            "the UDF sent a BeginBatch while batch 'first' was open: Kapacitor silently drops the 1"
                + " point(s) of the open batch"),
        rules.violations());
    accept(rules, end("second", 5));
    Output.Batch batch = assertInstanceOf(Output.Batch.class, rules.pollOutput());
    assertEquals("second", batch.name());
    assertEquals(List.of(), batch.points());
    assertFalse(rules.crashed(), "crashed; violations: " + rules.violations());
  }

  @Test
  void aStreamPointFromABatchUdfIsDataOnTheWrongEdge() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    accept(rules, Response.newBuilder().setPoint(point("cpu")).build());
    assertEquals(1, rules.violations().size(), rules.violations().toString());
    assertTrue(
        rules
            .violations()
            .get(0)
            .startsWith("the UDF sent a stream point but its Info says provides=BATCH"),
        rules.violations().get(0));
    assertInstanceOf(Output.StreamPoint.class, rules.pollOutput(), "Kapacitor still forwards it");
  }

  @Test
  void aBatchFromAStreamUdfIsDataOnTheWrongEdge() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    accept(rules, begin("cpu", 0));
    assertEquals(1, rules.violations().size(), rules.violations().toString());
    assertTrue(
        rules
            .violations()
            .get(0)
            .startsWith("the UDF sent a BeginBatch but its Info says provides=STREAM"),
        rules.violations().get(0));
  }

  @Test
  void withoutAnInfoNoEdgeIsChecked() {
    ResponseRules rules = new ResponseRules("t", null);
    accept(rules, Response.newBuilder().setPoint(point("cpu")).build());
    accept(rules, begin("cpu", 0));
    accept(rules, end("cpu", 1));
    assertEquals(List.of(), rules.violations());
    assertEquals(2, rules.outputCount());
  }

  @Test
  void outputEndingInsideABatchIsAViolation() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    rules.outputEnded();
    assertEquals(List.of(), rules.violations(), "no batch open");
    accept(rules, begin("cpu", 0));
    rules.outputEnded();
    assertEquals(
        List.of(
            "the UDF's output ended inside batch 'cpu' (a BeginBatch without its EndBatch):"
                + " Kapacitor never forwards it"),
        rules.violations());
  }

  @Test
  void outputEndingInsideABatchAfterACrashAddsNothing() {
    ResponseRules rules = new ResponseRules("t", BATCH);
    accept(rules, begin("cpu", 0));
    rules.accept(Response.getDefaultInstance(), 0);
    rules.outputEnded();
    assertEquals(1, rules.violations().size(), rules.violations().toString());
  }

  @Test
  void violationsAreAReadOnlyView() {
    ResponseRules rules = new ResponseRules("t", STREAM);
    List<String> view = rules.violations();
    assertThrows(UnsupportedOperationException.class, () -> view.add("x"));
    accept(rules, INIT);
    assertEquals(1, view.size(), "the view follows later violations");
  }

  private static void assertCrash(
      ResponseRules rules, ResponseRules.Ending ending, String error, String reason) {
    assertNotNull(ending);
    assertTrue(ending.crash(), ending.explanation());
    assertEquals(error, ending.error());
    assertTrue(ending.explanation().contains(reason), ending.explanation());
    assertTrue(ending.explanation().contains("kapacitord crash"), ending.explanation());
    assertTrue(rules.crashed(), "not crashed; violations: " + rules.violations());
    assertEquals(List.of(ending.explanation()), rules.violations(), "a crash is also a violation");
  }

  private static ResponseRules.Ending accept(ResponseRules rules, Response response) {
    return rules.accept(response, response.getSerializedSize());
  }

  private static UdfProto.InfoResponse info(UdfProto.EdgeType provides) {
    return UdfProto.InfoResponse.newBuilder().setWants(provides).setProvides(provides).build();
  }

  private static UdfProto.Point point(String name) {
    return UdfProto.Point.newBuilder()
        .setName(name)
        .setTime(1)
        .putAllFieldsDouble(Map.of("usage", 95.0))
        .build();
  }

  private static Response begin(String name, long size) {
    return Response.newBuilder()
        .setBegin(UdfProto.BeginBatch.newBuilder().setName(name).setSize(size))
        .build();
  }

  private static Response end(String name, long tmax) {
    return Response.newBuilder()
        .setEnd(UdfProto.EndBatch.newBuilder().setName(name).setTmax(tmax))
        .build();
  }
}
