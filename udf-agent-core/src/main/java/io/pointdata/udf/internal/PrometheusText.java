package io.pointdata.udf.internal;

import io.pointdata.udf.UdfMetrics;
import java.util.Map;

/** Writes a UDF's metrics in Prometheus' text exposition format (version 0.0.4). */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);
  private final String udf;

  private PrometheusText(String udf) {
    this.udf = "udf=\"" + escape(udf) + "\"";
  }

  static String format(UdfMetrics m) {
    PrometheusText text = new PrometheusText(m.udf());
    text.single(
        "udf_points_received_total",
        "counter",
        "Points received from Kapacitor.",
        m.pointsReceived());
    text.single(
        "udf_points_emitted_total", "counter", "Points sent to Kapacitor.", m.pointsEmitted());
    text.single(
        "udf_batches_received_total",
        "counter",
        "Batches received from Kapacitor.",
        m.batchesReceived());
    text.single(
        "udf_batches_emitted_total", "counter", "Batches sent to Kapacitor.", m.batchesEmitted());
    text.labelled("udf_requests_total", "counter", "Requests received, by kind.", m.requests());
    text.labelled("udf_errors_total", "counter", "Errors, by kind.", m.errors());
    text.single(
        "udf_dropped_total", "counter", "Inputs dropped under OnError.DROP_AND_LOG.", m.dropped());
    text.single("udf_keepalives_total", "counter", "Keepalives answered.", m.keepalives());
    text.single("udf_sessions_opened_total", "counter", "Sessions started.", m.sessionsOpened());
    text.single("udf_sessions_closed_total", "counter", "Sessions ended.", m.sessionsClosed());
    text.single("udf_sessions_active", "gauge", "Sessions open now.", m.sessionsActive());
    text.single(
        "udf_queue_depth",
        "gauge",
        "Requests read and waiting for their session's handler.",
        m.queueDepth());
    text.histogram(m);
    text.sessions(m);
    return text.out.toString();
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void single(String name, String type, String help, long value) {
    header(name, type, help);
    out.append(name).append('{').append(udf).append("} ").append(value).append('\n');
  }

  private void labelled(String name, String type, String help, Map<String, Long> values) {
    header(name, type, help);
    values.forEach(
        (kind, value) ->
            out.append(name)
                .append('{')
                .append(udf)
                .append(",kind=\"")
                .append(escape(kind))
                .append("\"} ")
                .append(value)
                .append('\n'));
  }

  private void histogram(UdfMetrics m) {
    String name = "udf_handler_seconds";
    header(
        name,
        "histogram",
        "Time per data request on the handler thread (decoding and the handler's call).");
    long cumulative = 0;
    for (int i = 0; i < m.handlerBuckets().size(); i++) {
      cumulative += m.handlerBuckets().get(i);
      String le =
          i < m.handlerBucketBounds().size() ? number(m.handlerBucketBounds().get(i)) : "+Inf";
      out.append(name)
          .append("_bucket{")
          .append(udf)
          .append(",le=\"")
          .append(le)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    out.append(name)
        .append("_sum{")
        .append(udf)
        .append("} ")
        .append(number(m.handlerSeconds()))
        .append('\n');
    out.append(name).append("_count{").append(udf).append("} ").append(cumulative).append('\n');
  }

  /**
   * Per open session, labelled with its task and node: gauges, since a session's series ends with
   * it.
   */
  private void sessions(UdfMetrics m) {
    String name = "udf_session_points_received";
    header(name, "gauge", "Points received by an open session, by task and node.");
    for (UdfMetrics.OpenSession s : m.openSessions()) session(name, s, s.pointsReceived());
    name = "udf_session_points_emitted";
    header(name, "gauge", "Points sent by an open session, by task and node.");
    for (UdfMetrics.OpenSession s : m.openSessions()) session(name, s, s.pointsEmitted());
  }

  private void session(String name, UdfMetrics.OpenSession s, long value) {
    out.append(name)
        .append('{')
        .append(udf)
        .append(",session=\"")
        .append(escape(s.id()))
        .append("\",task=\"")
        .append(escape(s.task()))
        .append("\",node=\"")
        .append(escape(s.node()))
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static String number(double value) {
    return Double.toString(value);
  }

  /** A label value as the format requires: backslash, double quote and line feed escaped. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
