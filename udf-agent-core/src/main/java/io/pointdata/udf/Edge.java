package io.pointdata.udf;

import io.pointdata.udf.proto.UdfProto;

/** The kind of data on one side of a UDF: a stream of points, or batches of points. */
public enum Edge {
  STREAM(UdfProto.EdgeType.STREAM),
  BATCH(UdfProto.EdgeType.BATCH);

  private final UdfProto.EdgeType wire;

  Edge(UdfProto.EdgeType wire) {
    this.wire = wire;
  }

  UdfProto.EdgeType wire() {
    return wire;
  }

  /** Kapacitor's TICKscript name for the edge, for messages. */
  String lowerName() {
    return this == STREAM ? "stream" : "batch";
  }
}
