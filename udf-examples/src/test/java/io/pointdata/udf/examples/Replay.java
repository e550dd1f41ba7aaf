package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfServer;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** A golden trace's requests replayed to one of our UDFs, over a Unix socket, one request at a time. */
record Replay(Golden golden, List<List<Response>> responses) {
  static Replay run(Golden golden, Supplier<? extends Udf> udf, Path dir) throws Exception {
    try (UdfServer server = UdfServer.builder(dir.resolve("udf.sock")).udf(udf).build().start();
        KapacitorDriver kapacitor = KapacitorDriver.connect(golden.name(), server.path())) {
      List<List<Response>> responses = new ArrayList<>();
      boolean ended = false;
      for (Golden.Step step : golden.steps()) {
        if (ended) {
          responses.add(List.of()); // the agent stopped at the error, as the original's did
          continue;
        }
        List<Response> answer = answer(kapacitor, step.request());
        ended = answer.stream().anyMatch(Response::hasError);
        responses.add(answer);
      }
      if (ended) assertNull(kapacitor.take(KapacitorDriver.TIMEOUT), "the connection ends after an error");
      return new Replay(golden, List.copyOf(responses));
    }
  }

  private static List<Response> answer(KapacitorDriver kapacitor, Request request) throws Exception {
    return switch (request.getMessageCase()) {
      case BEGIN, POINT, END -> kapacitor.exchange(List.of(request));
      default -> {
        kapacitor.send(request);
        yield List.of(kapacitor.take(KapacitorDriver.TIMEOUT));
      }
    };
  }

  /** Our responses to request {@code index}. */
  List<Response> at(int index) {
    return responses.get(index);
  }

  /** The original's responses to request {@code index}. */
  List<Response> original(int index) {
    return golden.steps().get(index).responses();
  }

  /** Asserts that every step except the given ones got exactly the original's responses. */
  void assertSameAsOriginalExcept(Set<Integer> differences) {
    for (Golden.Step step : golden.steps()) {
      if (differences.contains(step.index())) continue;
      assertEquals(step.responses(), at(step.index()),
          golden.name() + " step " + step.index() + " (" + step.request().getMessageCase() + ")");
    }
  }
}
