package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto.Response;
import java.util.List;
import java.util.Objects;

/**
 * What a UDF answered to a replayed session, next to what the recording says it should answer.
 *
 * <p>Responses match when they are equal as parsed messages (so map order does not matter) in the
 * same order, keepalive answers aside: their times are ignored and only their number counts, since
 * an agent may answer a keepalive ahead of earlier data.
 *
 * @param expected the recording's responses
 * @param actual the responses the UDF sent
 * @param stop how the replayed session ended
 */
public record ReplayResult(List<Response> expected, List<Response> actual, StopResult stop) {
  public ReplayResult {
    expected = List.copyOf(expected);
    actual = List.copyOf(actual);
    Objects.requireNonNull(stop, "stop == null");
  }

  /** Whether the responses match and the UDF stopped cleanly. */
  public boolean matches() {
    return difference() == null;
  }

  /** The first difference, worded for a test failure; null if the replay matches. */
  public String difference() {
    List<Response> want = withoutKeepalives(expected);
    List<Response> got = withoutKeepalives(actual);
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      Response w = i < want.size() ? want.get(i) : null;
      Response g = i < got.size() ? got.get(i) : null;
      if (!Objects.equals(w, g)) {
        return "response "
            + (i + 1)
            + " (keepalives aside) differs:\n  expected: "
            + text(w)
            + "\n  actual:   "
            + text(g);
      }
    }
    long wantKeepalives = keepalives(expected);
    long gotKeepalives = keepalives(actual);
    if (wantKeepalives != gotKeepalives) {
      return "expected " + wantKeepalives + " keepalive answers, got " + gotKeepalives;
    }
    if (!stop.clean()) return stop.toString();
    return null;
  }

  /**
   * @throws AssertionError with the first difference
   */
  public void assertMatches() {
    String difference = difference();
    if (difference != null)
      throw new AssertionError("the replay does not match the recording: " + difference);
  }

  private static List<Response> withoutKeepalives(List<Response> responses) {
    return responses.stream()
        .filter(r -> r.getMessageCase() != Response.MessageCase.KEEPALIVE)
        .toList();
  }

  private static long keepalives(List<Response> responses) {
    return responses.stream()
        .filter(r -> r.getMessageCase() == Response.MessageCase.KEEPALIVE)
        .count();
  }

  private static String text(Response r) {
    return r == null ? "(nothing)" : Texts.oneLine(r);
  }
}
