package io.pointdata.udf.protocol;

import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfException;
import io.pointdata.udf.proto.UdfProto;
import java.time.Duration;

/**
 * The protocol-level handler: one method per Kapacitor request, with the generated protocol types.
 *
 * <p>Most UDFs implement {@link Udf} instead, which is built on this interface and adds option
 * checking, typed points and batch assembly. Implement this one to see the protocol as it is: for a
 * proxy, or a batch UDF that streams its output without holding the batch. {@link Protocol} runs
 * one, as {@code UdfAgent} runs a {@link Udf}.
 *
 * <p>Threading is as for {@link Udf}: one instance per connection, methods called one at a time in
 * request order, keepalives answered by the agent. An exception from any method ends the connection
 * with an {@code ErrorResponse} naming the request, as Kapacitor's own agents do.
 */
public interface UdfHandler {
  /** Answers Kapacitor's Info request. */
  UdfProto.InfoResponse info() throws Exception;

  /** Answers Kapacitor's Init request. */
  UdfProto.InitResponse init(UdfProto.InitRequest request) throws Exception;

  /** Answers a Snapshot request; the default returns an empty snapshot. */
  default UdfProto.SnapshotResponse snapshot() throws Exception {
    return UdfProto.SnapshotResponse.getDefaultInstance();
  }

  /** Answers a Restore request; the default accepts it. */
  default UdfProto.RestoreResponse restore(UdfProto.RestoreRequest request) throws Exception {
    return UdfProto.RestoreResponse.newBuilder().setSuccess(true).build();
  }

  /** Handles the start of an incoming batch. */
  default void beginBatch(UdfProto.BeginBatch begin, ResponseSink out) throws Exception {
    throw new UdfException("this UDF does not take batches");
  }

  /** Handles one incoming point, of a stream or inside a batch. */
  void point(UdfProto.Point point, ResponseSink out) throws Exception;

  /** Handles the end of an incoming batch. */
  default void endBatch(UdfProto.EndBatch end, ResponseSink out) throws Exception {
    throw new UdfException("this UDF does not take batches");
  }

  /**
   * How often the agent calls {@link #timer}, or null (the default) for never. Asked once, after an
   * Init that succeeded.
   */
  default Duration timerPeriod() {
    return null;
  }

  /**
   * Called every {@link #timerPeriod()} between requests, on the handler's thread: output without
   * input, such as a window flushed on wall-clock time. A call that is due while the handler is
   * busy waits for it; calls never pile up (at most one is pending).
   */
  default void timer(ResponseSink out) throws Exception {}

  /** Called once when the connection ends, whatever the reason. */
  default void close() throws Exception {}
}
