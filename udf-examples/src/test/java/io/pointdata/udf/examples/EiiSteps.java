package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Udf;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.testing.EiiTrace;
import io.pointdata.udf.testing.Golden;
import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.ReplayResult;
import io.pointdata.udf.testing.UdfTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An EII trace ({@code /golden/eii/NAME.json}) replayed to one of our UDFs, with each request's
 * responses side by side: the original's and ours.
 *
 * @param replay what the simulated Kapacitor saw of our UDF, its stop included
 */
record EiiSteps(String name, List<Step> steps, ReplayResult replay) {
  /** One request, the original's responses to it, and ours. */
  record Step(int index, Request request, List<Response> original, List<Response> ours) {}

  /** Replays the trace's requests to the UDF, in this JVM, as a simulated Kapacitor sends them. */
  static EiiSteps replay(String trace, Supplier<? extends Udf> udf) {
    EiiTrace golden = Golden.eiiTrace(trace);
    ReplayResult replay;
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(UdfTarget.inJvm(udf)).name(trace).build()) {
      replay = kapacitor.replay(golden.toRecording());
    }
    List<List<Response>> original = pair(golden.requests(), golden.responses(), "the original's");
    List<List<Response>> ours = pair(golden.requests(), replay.actual(), "our");
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < golden.requests().size(); i++) {
      steps.add(new Step(i, golden.requests().get(i), original.get(i), ours.get(i)));
    }
    return new EiiSteps(trace, List.copyOf(steps), replay);
  }

  /**
   * Attributes each response to the request that caused it: a management answer to its request, a
   * stream point to the point with its time, the points emitted at a batch's end to that EndBatch,
   * an error to the request it followed.
   */
  private static List<List<Response>> pair(
      List<Request> requests, List<Response> responses, String whose) {
    List<List<Response>> result = new ArrayList<>();
    int next = 0;
    Set<Long> batchTimes = null;
    for (Request request : requests) {
      List<Response> mine = new ArrayList<>();
      switch (request.getMessageCase()) {
        case BEGIN -> batchTimes = new HashSet<>();
        case POINT -> {
          if (batchTimes != null) {
            batchTimes.add(request.getPoint().getTime());
          } else if (next < responses.size()
              && responses.get(next).hasPoint()
              && responses.get(next).getPoint().getTime() == request.getPoint().getTime()) {
            mine.add(responses.get(next++));
          }
        }
        case END -> {
          while (next < responses.size()
              && responses.get(next).hasPoint()
              && batchTimes.contains(responses.get(next).getPoint().getTime())) {
            mine.add(responses.get(next++));
          }
          batchTimes = null;
        }
        default -> {
          if (next < responses.size() && sameKind(request, responses.get(next)))
            mine.add(responses.get(next++));
        }
      }
      // The agent answers keepalives itself: an error after one is the next request's.
      if (!request.hasKeepalive() && next < responses.size() && responses.get(next).hasError()) {
        mine.add(responses.get(next++));
      }
      result.add(List.copyOf(mine));
    }
    assertEquals(
        responses.size(), next, whose + " responses not attributed to a request: " + responses);
    return result;
  }

  private static boolean sameKind(Request request, Response response) {
    return request.getMessageCase().name().equals(response.getMessageCase().name());
  }

  /** The index of the only step whose request matches. */
  int indexOf(Predicate<Request> request) {
    List<Integer> found =
        steps.stream().filter(s -> request.test(s.request())).map(Step::index).toList();
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

  /** Our responses to request {@code index}. */
  List<Response> ours(int index) {
    return steps.get(index).ours();
  }

  /** The original's responses to request {@code index}. */
  List<Response> original(int index) {
    return steps.get(index).original();
  }

  /** Asserts that every step except the given ones got exactly the original's responses. */
  void assertSameAsOriginalExcept(Set<Integer> differences) {
    for (Step step : steps) {
      if (differences.contains(step.index())) continue;
      assertEquals(
          step.original(),
          step.ours(),
          name + " step " + step.index() + " (" + step.request().getMessageCase() + ")");
    }
  }

  /** These steps with our responses replaced, e.g. to compare without wall-clock fields. */
  EiiSteps mapResponses(java.util.function.UnaryOperator<Response> f) {
    List<Step> mapped =
        steps.stream()
            .map(
                s ->
                    new Step(
                        s.index(),
                        s.request(),
                        s.original().stream().map(f).toList(),
                        s.ours().stream().map(f).toList()))
            .toList();
    return new EiiSteps(name, mapped, replay);
  }
}
