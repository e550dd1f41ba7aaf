package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;

/**
 * Process UDFs that are wrong in one way each, writing raw frames on stdout as an agent in any
 * language might. Each echoes stream points unless it is broken there.
 */
public final class BrokenUdfs {
  private BrokenUdfs() {}

  private static void serve(RawPeer peer) throws Exception {
    peer.serve(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
  }

  private static Response echo(UdfProto.Request request) {
    return Response.newBuilder().setPoint(request.getPoint()).build();
  }

  /** Keeps running after stdin ends, with stdout open: Kapacitor's start-up and task stop hang. */
  public static final class IgnoresEof {
    public static void main(String[] args) throws Exception {
      serve(RawPeer.stream((request, out) -> out.send(echo(request))).hangingAtEofAlways());
    }
  }

  /**
   * Answers each point with an EndBatch and no BeginBatch: kapacitord dereferences nil and crashes.
   */
  public static final class EndWithoutBegin {
    public static void main(String[] args) throws Exception {
      serve(
          RawPeer.stream(
              (request, out) ->
                  out.send(
                      Response.newBuilder()
                          .setEnd(UdfProto.EndBatch.newBuilder().setName("cpu"))
                          .build())));
    }
  }

  /** Answers each point with an empty frame, a Response with nothing set: kapacitord panics. */
  public static final class EmptyResponse {
    public static void main(String[] args) throws Exception {
      serve(RawPeer.stream((request, out) -> out.sendRaw(new byte[0])));
    }
  }
}
