package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A UDF that writes raw frames, bypassing our agent's output checks, so that it can send what would
 * crash or confuse Kapacitor. It answers Info, Init, keepalives, Snapshot and Restore correctly
 * unless told otherwise, and hands each data request to its {@link DataHandler}.
 */
final class RawPeer implements InJvmLink.Peer {
  /** What the peer does with one data request. */
  @FunctionalInterface
  interface DataHandler {
    void handle(Request request, RawPeer.Out out) throws IOException;
  }

  /** Writes frames, checked by nobody. */
  static final class Out {
    private final OutputStream out;

    Out(OutputStream out) {
      this.out = out;
    }

    void send(Response response) throws IOException {
      Frames.write(out, response.toByteArray());
    }

    /** Writes a frame with this body, whatever it is. */
    void sendRaw(byte[] body) throws IOException {
      Frames.write(out, body);
    }

    /** Closes the output early, as a UDF that gives up while Kapacitor still sends. */
    void close() throws IOException {
      out.close();
    }
  }

  private final UdfProto.InfoResponse info;
  private final DataHandler data;
  private boolean answerKeepalives = true;
  private boolean answerInit = true;
  private boolean hangAtEof;
  private boolean hangAtStartup;
  private boolean exitWithoutClosing;

  private RawPeer(UdfProto.InfoResponse info, DataHandler data) {
    this.info = info;
    this.data = data;
  }

  /** A stream-to-stream peer. */
  static RawPeer stream(DataHandler data) {
    return new RawPeer(UdfProto.InfoResponse.newBuilder().build(), data);
  }

  /** A batch-to-batch peer. */
  static RawPeer batch(DataHandler data) {
    return new RawPeer(
        UdfProto.InfoResponse.newBuilder()
            .setWants(UdfProto.EdgeType.BATCH)
            .setProvides(UdfProto.EdgeType.BATCH)
            .build(),
        data);
  }

  RawPeer ignoringKeepalives() {
    answerKeepalives = false;
    return this;
  }

  RawPeer neverAnsweringInit() {
    answerInit = false;
    return this;
  }

  /**
   * At the end of a task's input, keeps its output open and never returns, as a UDF that ignores
   * EOF; its start-up session (no Init) still ends.
   */
  RawPeer hangingAtEof() {
    hangAtEof = true;
    return this;
  }

  /** As {@link #hangingAtEof()}, in every session, start-up included. */
  RawPeer hangingAtEofAlways() {
    hangAtEof = true;
    hangAtStartup = true;
    return this;
  }

  /** At end of input, closes its output but never returns, as a process that never exits. */
  RawPeer closingButNotExitingAtEof() {
    exitWithoutClosing = true;
    return this;
  }

  UdfTarget target() {
    return UdfTarget.inJvmPeer(() -> this, "raw peer");
  }

  @Override
  public void serve(InputStream in, OutputStream output) throws Exception {
    Out out = new Out(output);
    boolean sawInit = false;
    byte[] body;
    while ((body = Frames.read(in)) != null) {
      Request request = Request.parseFrom(body);
      switch (request.getMessageCase()) {
        case INFO -> out.send(Response.newBuilder().setInfo(info).build());
        case INIT -> {
          sawInit = true;
          if (answerInit)
            out.send(
                Response.newBuilder()
                    .setInit(UdfProto.InitResponse.newBuilder().setSuccess(true))
                    .build());
        }
        case KEEPALIVE -> {
          if (answerKeepalives) {
            out.send(
                Response.newBuilder()
                    .setKeepalive(
                        UdfProto.KeepaliveResponse.newBuilder()
                            .setTime(request.getKeepalive().getTime()))
                    .build());
          }
        }
        case SNAPSHOT ->
            out.send(
                Response.newBuilder()
                    .setSnapshot(UdfProto.SnapshotResponse.getDefaultInstance())
                    .build());
        case RESTORE ->
            out.send(
                Response.newBuilder()
                    .setRestore(UdfProto.RestoreResponse.newBuilder().setSuccess(true))
                    .build());
        default -> data.handle(request, out);
      }
    }
    if (!sawInit && !hangAtStartup) return;
    if (exitWithoutClosing) output.close();
    if (hangAtEof || exitWithoutClosing) Thread.sleep(Long.MAX_VALUE);
  }
}
