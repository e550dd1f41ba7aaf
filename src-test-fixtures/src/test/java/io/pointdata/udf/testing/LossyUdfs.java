package io.pointdata.udf.testing;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.UdfSpec;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Pass-through UDFs that lose data where only a comparison of outputs can see it: each answers
 * every request well-formed and in time, and stops cleanly. Each runs as a process (its main) or in
 * this JVM.
 */
public final class LossyUdfs {
  private LossyUdfs() {}

  /**
   * Answers each point one point late (the point before it) and drops the one it holds when its
   * input ends. Its snapshot is empty, so the held point is lost at a restart too.
   */
  public static final class AnswersOneLate {
    static UdfTarget target() {
      return UdfTarget.inJvmPeer(AnswersOneLate::peer, "answers one point late");
    }

    private static RawPeer peer() {
      UdfProto.Point[] held = new UdfProto.Point[1];
      return RawPeer.stream(
          (request, out) -> {
            if (held[0] != null) out.send(Response.newBuilder().setPoint(held[0]).build());
            held[0] = request.getPoint();
          });
    }

    public static void main(String[] args) throws Exception {
      peer()
          .serve(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
  }

  /**
   * As Kapacitor's Go agent over a socket: every answer goes through a queue to one writer (here a
   * slow one), and when the input ends it closes its output without waiting for the queue to drain,
   * so answers still queued are lost. Paced input loses nothing; pipelined input loses the tail.
   */
  public static final class DropsQueuedAnswersAtEof implements InJvmLink.Peer {
    private static final Response CLOSE = Response.getDefaultInstance();

    static UdfTarget target() {
      return UdfTarget.inJvmPeer(
          DropsQueuedAnswersAtEof::new, "drops queued answers at end of input");
    }

    @Override
    public void serve(InputStream in, OutputStream out) throws Exception {
      BlockingQueue<Response> queue = new LinkedBlockingQueue<>();
      Thread writer = new Thread(() -> writeLoop(queue, out), "lossy-writer");
      writer.setDaemon(true);
      writer.start();
      byte[] body;
      while ((body = Frames.read(in)) != null) {
        Request request = Request.parseFrom(body);
        queue.put(
            switch (request.getMessageCase()) {
              case INFO ->
                  Response.newBuilder().setInfo(UdfProto.InfoResponse.getDefaultInstance()).build();
              case INIT ->
                  Response.newBuilder()
                      .setInit(UdfProto.InitResponse.newBuilder().setSuccess(true))
                      .build();
              case KEEPALIVE ->
                  Response.newBuilder()
                      .setKeepalive(
                          UdfProto.KeepaliveResponse.newBuilder()
                              .setTime(request.getKeepalive().getTime()))
                      .build();
              case SNAPSHOT ->
                  Response.newBuilder()
                      .setSnapshot(UdfProto.SnapshotResponse.getDefaultInstance())
                      .build();
              case RESTORE ->
                  Response.newBuilder()
                      .setRestore(UdfProto.RestoreResponse.newBuilder().setSuccess(true))
                      .build();
              default -> Response.newBuilder().setPoint(request.getPoint()).build();
            });
      }
      // End of input: close at once, as the Go agent's readLoop closes the connection.
      queue.clear();
      queue.put(CLOSE);
      writer.join();
    }

    private static void writeLoop(BlockingQueue<Response> queue, OutputStream out) {
      try {
        for (Response next = queue.take(); next != CLOSE; next = queue.take()) {
          if (next.hasPoint()) Thread.sleep(1); // a writer slower than Kapacitor's pipelined input
          Frames.write(out, next.toByteArray());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException | Error e) {
        System.err.println("lossy-writer: " + e);
      }
    }

    public static void main(String[] args) throws Exception {
      new DropsQueuedAnswersAtEof()
          .serve(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
      System.exit(0);
    }
  }

  /**
   * Adds a running {@code sum} of {@code value} to each point. Its snapshot holds the sum, but its
   * restore ignores it and starts again from zero.
   */
  public static final class RestoreIgnoresSnapshot implements Udf {
    private double sum;

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      sum += point.doubleField("value");
      out.emit(point.toBuilder().field("sum", sum).build());
    }

    @Override
    public byte[] snapshot() {
      return ByteBuffer.allocate(Double.BYTES).putDouble(sum).array();
    }

    @Override
    public void restore(byte[] snapshot) {
      // wrongly ignored: the sum starts again from zero
    }

    public static void main(String[] args) throws Exception {
      UdfAgent.main(args, RestoreIgnoresSnapshot::new);
    }
  }
}
