package io.pointdata.udf.bench;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Kapacitor's side of one session, as the driver plays it: the handshake, then a reader thread that
 * counts the points coming back while a writer (the caller's) sends.
 */
final class Peer {
  private final Link link;
  private final ResponseScanner scanner;
  private final AtomicLong received = new AtomicLong();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile String error;

  Peer(Link link) {
    this.link = link;
    this.scanner = new ResponseScanner(link.input());
  }

  OutputStream output() {
    return link.output();
  }

  /**
   * Sends Info and Init (no options: the UDF's defaults) and checks both answers, as Kapacitor does
   * at task start.
   */
  void handshake() throws IOException {
    OutputStream out = link.output();
    Request.newBuilder()
        .setInfo(UdfProto.InfoRequest.getDefaultInstance())
        .build()
        .writeDelimitedTo(out);
    Request.newBuilder()
        .setInit(UdfProto.InitRequest.newBuilder().setTaskID("bench").setNodeID("udf1"))
        .build()
        .writeDelimitedTo(out);
    out.flush();
    Response info = expect(Response.MessageCase.INFO);
    if (info.getInfo().getWants() != UdfProto.EdgeType.STREAM)
      throw new IOException("UDF wants " + info);
    Response init = expect(Response.MessageCase.INIT);
    if (!init.getInit().getSuccess())
      throw new IOException("Init refused: " + init.getInit().getError());
  }

  /** Reads management responses, skipping keepalives, until one of the expected kind. */
  Response expect(Response.MessageCase kind) throws IOException {
    while (true) {
      int field = scanner.next();
      if (field == ResponseScanner.END) throw new IOException("EOF waiting for " + kind);
      Response response = Response.parseFrom(scanner.frame());
      if (response.getMessageCase() == kind) return response;
      if (response.getMessageCase() != Response.MessageCase.KEEPALIVE) {
        throw new IOException("expected " + kind + ", got " + response);
      }
    }
  }

  /** Starts reading responses until EOF, calling {@code onPoint} with each point's time. */
  void startReader(String name, LongConsumer onPoint) {
    Thread reader = new Thread(() -> readLoop(onPoint), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop(LongConsumer onPoint) {
    try {
      int field;
      long count = 0;
      while ((field = scanner.next()) != ResponseScanner.END) {
        if (field == ResponseScanner.POINT) {
          onPoint.accept(scanner.pointTime());
          received.lazySet(++count);
        } else if (field == Response.ERROR_FIELD_NUMBER) {
          error =
              "agent sent an error: " + Response.parseFrom(scanner.frame()).getError().getError();
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      error = "reading responses: " + e;
    } finally {
      ended.countDown();
    }
  }

  /** Points received so far. */
  long received() {
    return received.get();
  }

  /** Ends Kapacitor's side: no more requests. */
  void closeOutput() throws IOException {
    link.closeOutput();
  }

  /** Waits for the agent to close its side, and fails if reading went wrong. */
  void awaitEnd(Duration timeout) throws InterruptedException, IOException {
    if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IOException("the agent did not close the session within " + timeout);
    }
    if (error != null) throw new IOException(error);
  }

  /**
   * Ends a timed run: closes our output, waits for the agent's end, closes, and checks that it
   * answered the points the run expected back.
   */
  void finish(Object target, long expected, IntSupplier answered)
      throws InterruptedException, IOException {
    closeOutput();
    awaitEnd(Duration.ofSeconds(30));
    close();
    if (answered.getAsInt() != expected) {
      throw new IOException(
          target + ": expected " + expected + " timed points back, got " + answered.getAsInt());
    }
  }

  void close() throws IOException {
    link.close();
  }
}
