package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole session on any input, with a UDF that forwards every point: the agent answers with
 * well-formed responses only, ends with an ErrorResponse exactly when the session did not end
 * cleanly, and the points it sends back are the points it was sent, in order, whichever decoding
 * and writing path each took. Regression mode runs the seeds; see RELIABILITY.md for a fuzzing run.
 */
class SessionFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void anyInputEndsTheSessionWithValidResponses(byte[] input) throws IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    boolean clean =
        UdfAgent.serve(new ByteArrayInputStream(input), output, new UdfAgentTest.Forward());

    List<Response> responses = new ArrayList<>();
    FrameReader<Response> frames =
        new FrameReader<>(
            new ByteArrayInputStream(output.toByteArray()), Response.parser(), 1 << 26);
    for (Response r; (r = frames.read()) != null; ) {
      assertNotEquals(
          Response.MessageCase.MESSAGE_NOT_SET, r.getMessageCase(), "a response of no kind");
      responses.add(r);
    }
    long errors = responses.stream().filter(Response::hasError).count();
    assertEquals(
        clean ? 0 : 1, errors, "one ErrorResponse exactly when the session failed: " + responses);
    if (errors == 1)
      assertTrue(responses.get(responses.size() - 1).hasError(), "the ErrorResponse comes last");

    List<UdfProto.Point> sent = pointsIn(input);
    List<UdfProto.Point> returned =
        responses.stream().filter(Response::hasPoint).map(Response::getPoint).toList();
    assertTrue(returned.size() <= sent.size(), "more points back than sent");
    assertEquals(
        sent.subList(0, returned.size()), returned, "points back are the points sent, in order");
    if (clean) assertEquals(sent.size(), returned.size(), "a clean session returns every point");
  }

  /** The point requests among the input's valid frames, up to the first that is not. */
  private static List<UdfProto.Point> pointsIn(byte[] input) {
    List<UdfProto.Point> points = new ArrayList<>();
    FrameReader<Request> frames =
        new FrameReader<>(new ByteArrayInputStream(input), Request.parser(), 1 << 26);
    try {
      for (Request r; (r = frames.read()) != null; ) if (r.hasPoint()) points.add(r.getPoint());
    } catch (IOException firstBadFrame) {
      // the agent stops there too
    }
    return points;
  }
}
