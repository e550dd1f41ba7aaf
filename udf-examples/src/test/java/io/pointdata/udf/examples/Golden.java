package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A trace of an original EII UDF ({@code /golden/eii/NAME.json}, proto3 JSON): its requests, each
 * with the responses the original gave to it.
 */
record Golden(String name, List<Step> steps) {
  /** One request and the original's responses to it. */
  record Step(int index, Request request, List<Response> responses) {}

  static Golden load(String name) throws IOException {
    String path = "/golden/eii/" + name + ".json";
    JsonNode root;
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      assertNotNull(in, path + " is not on the classpath (udf-proto test-jar)");
      root = new ObjectMapper().readTree(in);
    }
    List<Request> requests = new ArrayList<>();
    for (JsonNode node : root.get("requests")) {
      Request.Builder b = Request.newBuilder();
      JsonFormat.parser().merge(node.toString(), b);
      requests.add(b.build());
    }
    List<Response> responses = new ArrayList<>();
    for (JsonNode node : root.get("responses")) {
      Response.Builder b = Response.newBuilder();
      JsonFormat.parser().merge(node.toString(), b);
      responses.add(b.build());
    }
    return new Golden(name, pair(requests, responses));
  }

  /**
   * Attributes each response to the request that caused it: a management response to its request,
   * a stream point to the point with its time, the points emitted at a batch's end to that EndBatch,
   * an error to the request it followed.
   */
  private static List<Step> pair(List<Request> requests, List<Response> responses) {
    List<Step> steps = new ArrayList<>();
    int next = 0;
    Set<Long> batchTimes = null;
    for (Request request : requests) {
      List<Response> mine = new ArrayList<>();
      switch (request.getMessageCase()) {
        case BEGIN -> batchTimes = new HashSet<>();
        case POINT -> {
          if (batchTimes != null) {
            batchTimes.add(request.getPoint().getTime());
          } else if (next < responses.size() && responses.get(next).hasPoint()
              && responses.get(next).getPoint().getTime() == request.getPoint().getTime()) {
            mine.add(responses.get(next++));
          }
        }
        case END -> {
          while (next < responses.size() && responses.get(next).hasPoint()
              && batchTimes.contains(responses.get(next).getPoint().getTime())) {
            mine.add(responses.get(next++));
          }
          batchTimes = null;
        }
        default -> {
          if (next < responses.size() && sameKind(request, responses.get(next))) mine.add(responses.get(next++));
        }
      }
      // The agent answers keepalives itself: an error after one is the next request's.
      if (!request.hasKeepalive() && next < responses.size() && responses.get(next).hasError()) {
        mine.add(responses.get(next++));
      }
      steps.add(new Step(steps.size(), request, List.copyOf(mine)));
    }
    assertEquals(responses.size(), next, "responses of the trace not attributed to a request");
    return List.copyOf(steps);
  }

  private static boolean sameKind(Request request, Response response) {
    return request.getMessageCase().name().equals(response.getMessageCase().name());
  }

  /** The index of the only step whose request matches. */
  int indexOf(Predicate<Request> request) {
    List<Integer> found = steps.stream().filter(s -> request.test(s.request())).map(Step::index).toList();
    assertEquals(1, found.size(), "steps matching in " + name + ": " + found);
    return found.get(0);
  }

  /** The index of the stream point or batch point with this time. */
  int indexOfPoint(long time) {
    return indexOf(r -> r.hasPoint() && r.getPoint().getTime() == time);
  }

  int indexOf(Request.MessageCase kind) {
    return indexOf(r -> r.getMessageCase() == kind);
  }
}
