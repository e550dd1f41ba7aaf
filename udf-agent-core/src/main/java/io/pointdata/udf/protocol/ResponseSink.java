package io.pointdata.udf.protocol;

import io.pointdata.udf.proto.UdfProto;

/**
 * Where a {@link UdfHandler} writes the data responses it produces (points and batches).
 *
 * <p>Valid only during the handler call it was given to, on that thread. Every response is checked
 * before it is written, and anything that would crash Kapacitor throws {@link
 * IllegalStateException} here, at the call site: a response with no message set, an EndBatch
 * without a BeginBatch, a second BeginBatch before the EndBatch, or a negative BeginBatch size.
 */
public interface ResponseSink {
  /** Sends one response to Kapacitor. */
  void send(UdfProto.Response response);
}
