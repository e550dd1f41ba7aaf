package io.pointdata.udf;

/**
 * What the agent does when a UDF's {@link Udf#point} or {@link Udf#batch} throws; set with {@link
 * UdfSpec.Builder#onError}. Kapacitor never restarts a UDF node, so a task whose input may hold
 * points the UDF cannot handle (a missing field, a value out of range) usually wants {@link
 * #DROP_AND_LOG}.
 */
public enum OnError {
  /**
   * Ends the task's UDF node: an {@code ErrorResponse} naming the request and the cause, then the
   * connection closes. The default: nothing is lost silently.
   */
  FAIL_TASK,
  /**
   * Drops the point or batch whose call threw, logs it with the task, node, group and time (the
   * first ten, then every thousandth, each with the running count), and goes on with the next.
   * Whatever the call emitted before it threw has been sent. These still end the node: an {@link
   * Error}, an interrupt (the handler deadline), and any failure in emitting, since output may then
   * be half written.
   */
  DROP_AND_LOG
}
