package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.UdfHandler;

/**
 * A protocol-level handler for tests: an empty Info, every Init accepted; the test says the rest.
 */
public abstract class AcceptingHandler implements UdfHandler {
  @Override
  public UdfProto.InfoResponse info() {
    return UdfProto.InfoResponse.getDefaultInstance();
  }

  @Override
  public UdfProto.InitResponse init(UdfProto.InitRequest request) {
    return UdfProto.InitResponse.newBuilder().setSuccess(true).build();
  }
}
