package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoldenTest {
  @Test
  void wireFrameIsReadWithItsLengthPrefix() {
    assertArrayEquals(new byte[] {0x02, 0x0a, 0x00}, Golden.wireBytes("req_info"));
    assertEquals(
        List.of(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build()),
        Golden.wireRequests("req_info"));
  }

  @Test
  void streamFilesHoldSeveralFrames() {
    List<Request> requests = Golden.wireRequests("stream_requests");
    List<Response> responses = Golden.wireResponses("stream_responses");
    assertTrue(
        requests.size() > 1 && responses.size() > 1,
        requests.size() + " requests, " + responses.size());
    assertEquals(Request.MessageCase.INFO, requests.get(0).getMessageCase());
    assertEquals(Response.MessageCase.INFO, responses.get(0).getMessageCase());
  }

  @Test
  void captureHasBothDirections() {
    Recording capture = Golden.captured("go_moving_avg_process.2");
    assertEquals(9, capture.requests().size());
    assertEquals(9, capture.responses().size());
    assertEquals("harnessTask", capture.requests().get(0).getInit().getTaskID());
  }

  @Test
  void everyEiiTraceParses() {
    for (String name :
        List.of(
            "humidity_classifier_stream",
            "py_classifier_batch_error",
            "py_classifier_stream",
            "rfc_classifier_profiling_false",
            "rfc_classifier_profiling_true")) {
      EiiTrace trace = Golden.eiiTrace(name);
      assertEquals(name, trace.name());
      assertEquals(Request.MessageCase.INFO, trace.requests().get(0).getMessageCase(), name);
      assertEquals(Response.MessageCase.INFO, trace.responses().get(0).getMessageCase(), name);
    }
  }

  @Test
  void eiiTraceKeepsEveryMessage() {
    EiiTrace trace = Golden.eiiTrace("py_classifier_batch_error");
    assertEquals("begin_batch raises -> error response, agent stops", trace.note());
    assertEquals(5, trace.requests().size());
    assertEquals(1, trace.requests().get(3).getBegin().getSize());
    assertEquals(1594927426635557092L, trace.requests().get(4).getPoint().getTime());
    assertEquals(
        "error processing request of type begin: not supported",
        trace.responses().get(3).getError().getError());
    assertEquals(
        UdfProto.EdgeType.BATCH,
        Golden.eiiTrace("rfc_classifier_profiling_true").responses().get(0).getInfo().getWants());
  }

  @Test
  void recordingWritesAndReadsBackTheSameFrames() throws Exception {
    Recording capture = Golden.captured("py_mirror_batch_process.2");
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    ByteArrayOutputStream responses = new ByteArrayOutputStream();
    capture.writeTo(requests, responses);
    assertArrayEquals(
        Golden.bytes("/golden/wire/captured/py_mirror_batch_process.2.requests.bin"),
        requests.toByteArray());
    Recording back =
        Recording.read(
            new ByteArrayInputStream(requests.toByteArray()),
            new ByteArrayInputStream(responses.toByteArray()));
    assertEquals(capture.requests(), back.requests());
    assertEquals(capture.responses(), back.responses());
  }

  @Test
  void missingResourceNamesTheTestJar() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Golden.wireBytes("nosuch"));
    assertTrue(e.getMessage().contains("udf-proto, type test-jar"), e.getMessage());
  }
}
