package io.pointdata.udf;

import java.util.List;
import java.util.Map;

/**
 * What a UDF's sessions have done, at one moment: counts since the server started, summed over
 * every session, open or ended, and the sessions open now. From {@link UdfServer#metrics()}; the
 * agent exposes the same numbers over JMX and as Prometheus text when asked.
 *
 * @param udf the UDF's name, the {@code udf} label of every metric
 * @param pointsReceived point requests received (in a stream or inside batches)
 * @param batchesReceived batches received (BeginBatch requests)
 * @param pointsEmitted points sent to Kapacitor
 * @param batchesEmitted batches sent to Kapacitor (BeginBatch responses)
 * @param requests requests received by kind: "info", "init", "keepalive", "snapshot", "restore",
 *     "begin", "point", "end", "unknown"
 * @param errors errors by kind: "handler", "deadline", "read", "write", "refused"
 * @param dropped inputs dropped, their call having thrown, under {@link OnError#DROP_AND_LOG}
 * @param keepalives keepalive requests answered
 * @param sessionsOpened sessions started
 * @param sessionsClosed sessions ended
 * @param sessionsActive sessions open now
 * @param queueDepth requests read and waiting for their session's handler, now
 * @param handlerBucketBounds upper bounds of the handler duration buckets, in seconds, ascending
 * @param handlerBuckets calls per bucket (not cumulative), one more than the bounds: the last holds
 *     the calls longer than every bound
 * @param handlerSeconds total duration of the calls in the buckets
 * @param openSessions the sessions open now
 */
public record UdfMetrics(
    String udf,
    long pointsReceived,
    long batchesReceived,
    long pointsEmitted,
    long batchesEmitted,
    Map<String, Long> requests,
    Map<String, Long> errors,
    long dropped,
    long keepalives,
    long sessionsOpened,
    long sessionsClosed,
    long sessionsActive,
    long queueDepth,
    List<Double> handlerBucketBounds,
    List<Long> handlerBuckets,
    double handlerSeconds,
    List<OpenSession> openSessions) {

  public UdfMetrics {
    requests = Map.copyOf(requests);
    errors = Map.copyOf(errors);
    handlerBucketBounds = List.copyOf(handlerBucketBounds);
    handlerBuckets = List.copyOf(handlerBuckets);
    openSessions = List.copyOf(openSessions);
  }

  /**
   * Handler calls timed: one per data request (BeginBatch, point, EndBatch). A call's time runs on
   * the handler thread from the end of the previous request to the end of this one, so it includes
   * decoding the request and writing its output into the buffer.
   */
  public long handlerCalls() {
    long calls = 0;
    for (long n : handlerBuckets) calls += n;
    return calls;
  }

  /** Errors of every kind. */
  public long errorsTotal() {
    long total = 0;
    for (long n : errors.values()) total += n;
    return total;
  }

  /**
   * One open session.
   *
   * @param id the agent's name for it, e.g. "socket-3"
   * @param task the task's ID as Kapacitor gave it at Init; empty before Init
   * @param node the UDF node's ID, as Kapacitor gave it at Init; empty before Init
   */
  public record OpenSession(
      String id,
      String task,
      String node,
      long pointsReceived,
      long pointsEmitted,
      long dropped,
      long errors) {}
}
