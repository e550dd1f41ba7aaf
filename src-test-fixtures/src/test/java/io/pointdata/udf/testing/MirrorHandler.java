package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;

/** Kapacitor's Python {@code mirror} example on a batch edge: sends back every batch as it came. */
public class MirrorHandler implements UdfHandler {
  @Override
  public UdfProto.InfoResponse info() {
    return UdfProto.InfoResponse.newBuilder()
        .setWants(UdfProto.EdgeType.BATCH)
        .setProvides(UdfProto.EdgeType.BATCH)
        .build();
  }

  @Override
  public UdfProto.InitResponse init(UdfProto.InitRequest request) {
    return UdfProto.InitResponse.newBuilder().setSuccess(true).build();
  }

  @Override
  public void beginBatch(UdfProto.BeginBatch begin, ResponseSink out) {
    out.send(UdfProto.Response.newBuilder().setBegin(begin).build());
  }

  @Override
  public void point(UdfProto.Point point, ResponseSink out) {
    out.send(UdfProto.Response.newBuilder().setPoint(point).build());
  }

  @Override
  public void endBatch(UdfProto.EndBatch end, ResponseSink out) {
    out.send(UdfProto.Response.newBuilder().setEnd(end).build());
  }

  /** Process mode, or {@code --socket PATH}. */
  public static void main(String[] args) throws Exception {
    Protocol.main(args, MirrorHandler::new);
  }
}
