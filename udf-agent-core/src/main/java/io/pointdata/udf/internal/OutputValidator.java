package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;

/**
 * Refuses data responses that crash or confuse Kapacitor (its udf/server.go handleResponse): a
 * response with no message set panics it, an EndBatch without BeginBatch dereferences nil, a
 * negative BeginBatch size panics makeslice. Not thread-safe: used by the handler thread only.
 */
final class OutputValidator {
  /** The open BeginBatch, or null between batches. */
  private UdfProto.BeginBatch openBatch;

  /** Checks one response a handler sends. @throws IllegalStateException naming what is wrong */
  void check(UdfProto.Response response) {
    switch (response.getMessageCase()) {
      case BEGIN -> {
        UdfProto.BeginBatch begin = response.getBegin();
        if (openBatch != null) {
          throw new IllegalStateException(
              "BeginBatch sent while batch '"
                  + openBatch.getName()
                  + "' is open; send its EndBatch first");
        }
        if (begin.getSize() < 0) {
          throw new IllegalStateException(
              "BeginBatch.size is " + begin.getSize() + "; it must be >= 0 (0 = unknown)");
        }
        openBatch = begin;
      }
      case END -> {
        if (openBatch == null) {
          throw new IllegalStateException(
              "EndBatch sent without a BeginBatch: Kapacitor would crash");
        }
        openBatch = null;
      }
      case POINT -> {}
      case MESSAGE_NOT_SET ->
          throw new IllegalStateException(
              "response has no message set ("
                  + response.getUnknownFields().asMap().size()
                  + " unknown fields): Kapacitor would crash");
      default ->
          throw new IllegalStateException(
              response.getMessageCase()
                  + " responses are the agent's to send; a handler sends points and batches");
    }
  }

  /** The batch left open, or null. */
  UdfProto.BeginBatch openBatch() {
    return openBatch;
  }
}
