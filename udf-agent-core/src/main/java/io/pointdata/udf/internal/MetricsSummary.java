package io.pointdata.udf.internal;

import io.pointdata.udf.UdfMetrics;
import java.util.Locale;
import java.util.StringJoiner;

/** One log line of a UDF's counters, as a process UDF writes at its end and every so often. */
final class MetricsSummary {
  private MetricsSummary() {}

  static String line(UdfMetrics m) {
    StringJoiner sessions = new StringJoiner(", ");
    for (UdfMetrics.OpenSession s : m.openSessions()) {
      if (!s.task().isEmpty() || !s.node().isEmpty())
        sessions.add("task=" + s.task() + " node=" + s.node());
    }
    StringJoiner errors = new StringJoiner(" ");
    m.errors()
        .forEach(
            (kind, n) -> {
              if (n > 0) errors.add(kind + "=" + n);
            });
    long calls = m.handlerCalls();
    return "UDF '"
        + m.udf()
        + "'"
        + (sessions.length() == 0 ? "" : " " + sessions)
        + " metrics:"
        + " points received "
        + m.pointsReceived()
        + ", emitted "
        + m.pointsEmitted()
        + "; batches received "
        + m.batchesReceived()
        + ", emitted "
        + m.batchesEmitted()
        + "; dropped "
        + m.dropped()
        + "; errors "
        + m.errorsTotal()
        + (m.errorsTotal() == 0 ? "" : " (" + errors + ")")
        + "; keepalives "
        + m.keepalives()
        + "; handler calls "
        + calls
        + (calls == 0
            ? ""
            : String.format(Locale.ROOT, ", mean %.1f us", m.handlerSeconds() * 1e6 / calls));
  }
}
