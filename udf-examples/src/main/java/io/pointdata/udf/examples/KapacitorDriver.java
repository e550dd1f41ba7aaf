package io.pointdata.udf.examples;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Kapacitor's side of one UDF connection, as far as the demo and the tests need it: it writes
 * requests as Kapacitor does and collects the UDF's responses.
 *
 * <p>Connects to a socket UDF, or spawns a process UDF and talks over its stdin/stdout. A reader
 * thread takes every response off the wire at once into an unbounded queue, so a UDF is never
 * blocked writing while the driver is busy writing. {@link #finish()} ends the connection the way
 * Kapacitor does: it closes its output and reads until the UDF closes its own.
 *
 * <p>Not thread-safe: one thread drives a connection.
 */
final class KapacitorDriver implements AutoCloseable {
  /** Long enough for a cold JVM to start and train a forest at Init. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Object END = new Object();

  private record ReadFailure(IOException cause) {}

  private final String name;
  private final OutputStream output;
  private final FrameWriter writer;
  private final Transport transport;
  private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
  private final Thread reader;
  private boolean finished;
  private int exitStatus = -1;

  /** How a connection's output is half-closed and the whole released. */
  private interface Transport {
    void closeOutput() throws IOException;

    /** Waits for the peer to end and returns its exit status (0 for a socket). */
    int awaitEnd(Duration timeout) throws IOException, InterruptedException;

    void close() throws IOException;
  }

  private KapacitorDriver(String name, InputStream input, OutputStream output, Transport transport) {
    this.name = name;
    this.output = output;
    this.writer = new FrameWriter(output);
    this.transport = transport;
    this.reader = new Thread(() -> readLoop(input), "kapacitor-driver-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to a socket UDF, as Kapacitor does for each task node. */
  static KapacitorDriver connect(String name, Path socket) throws IOException {
    AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()));
    return new KapacitorDriver(name, s.getInputStream(), s.getOutputStream(), new Transport() {
      @Override
      public void closeOutput() throws IOException {
        s.shutdownOutput();
      }

      @Override
      public int awaitEnd(Duration timeout) {
        return 0;
      }

      @Override
      public void close() throws IOException {
        s.close();
      }
    });
  }

  /**
   * Spawns a process UDF, as Kapacitor does for each task node. Each line of its stderr (the UDF's
   * log, which Kapacitor logs as "UDF log") goes to {@code log}, from another thread.
   */
  static KapacitorDriver spawn(String name, List<String> command, Consumer<String> log) throws IOException {
    Process process = new ProcessBuilder(command).start();
    Thread logger = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) log.accept(line);
      } catch (IOException e) {
        // The process is gone; so is its log.
      }
    }, "udf-log-" + name);
    logger.setDaemon(true);
    logger.start();
    return new KapacitorDriver(name, process.getInputStream(), process.getOutputStream(), new Transport() {
      @Override
      public void closeOutput() throws IOException {
        process.getOutputStream().close();
      }

      @Override
      public int awaitEnd(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("process UDF " + name + " did not exit within " + timeout + " of its stdin closing");
        }
        return process.exitValue();
      }

      @Override
      public void close() {
        process.destroy();
      }
    });
  }

  private void readLoop(InputStream input) {
    FrameReader<Response> frames = new FrameReader<>(input, Response.parser(), 64 << 20);
    try {
      for (Response r; (r = frames.read()) != null; ) responses.add(r);
      responses.add(END);
    } catch (IOException e) {
      responses.add(new ReadFailure(e));
    }
  }

  String name() {
    return name;
  }

  /** Writes one request and flushes it. */
  void send(Request request) throws IOException {
    writer.write(request);
    writer.flush();
  }

  /** Writes requests without flushing each; call {@link #flush()} after. */
  void sendBuffered(Request request) throws IOException {
    writer.write(request);
  }

  void flush() throws IOException {
    writer.flush();
  }

  /** Asks for Info and returns the answer. */
  UdfProto.InfoResponse info() throws IOException, InterruptedException {
    send(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build());
    return expect(Response.MessageCase.INFO, SETUP_TIMEOUT).getInfo();
  }

  /** Sends Init with the options, in order, typed by their Java type, and returns the answer. */
  UdfProto.InitResponse init(Map<String, ?> options) throws IOException, InterruptedException {
    UdfProto.InitRequest.Builder init = UdfProto.InitRequest.newBuilder().setTaskID("demo").setNodeID(name);
    options.forEach((key, value) -> init.addOptions(option(key, value)));
    send(Request.newBuilder().setInit(init).build());
    return expect(Response.MessageCase.INIT, SETUP_TIMEOUT).getInit();
  }

  /** A TICKscript option call {@code .key(value)} as Kapacitor sends it. */
  static UdfProto.Option option(String key, Object value) {
    UdfProto.OptionValue.Builder v = UdfProto.OptionValue.newBuilder();
    if (value instanceof Double d) v.setType(UdfProto.ValueType.DOUBLE).setDoubleValue(d);
    else if (value instanceof Long || value instanceof Integer) v.setType(UdfProto.ValueType.INT).setIntValue(((Number) value).longValue());
    else if (value instanceof String s) v.setType(UdfProto.ValueType.STRING).setStringValue(s);
    else if (value instanceof Boolean b) v.setType(UdfProto.ValueType.BOOL).setBoolValue(b);
    else if (value instanceof Duration d) v.setType(UdfProto.ValueType.DURATION).setDurationValue(d.toNanos());
    else throw new IllegalArgumentException("option '" + key + "': unsupported value type " + value.getClass().getName());
    return UdfProto.Option.newBuilder().setName(key).addValues(v).build();
  }

  /**
   * Sends the requests, then a Snapshot, and returns every response up to the Snapshot's answer,
   * which the agent sends only after handling all that came before. Stops early at an error
   * response or at the end of the connection.
   */
  List<Response> exchange(List<Request> requests) throws IOException, InterruptedException {
    for (Request r : requests) sendBuffered(r);
    sendBuffered(Request.newBuilder().setSnapshot(UdfProto.SnapshotRequest.getDefaultInstance()).build());
    flush();
    List<Response> received = new ArrayList<>();
    while (true) {
      Response r = take(TIMEOUT);
      if (r == null) return received;
      if (r.hasSnapshot()) return received;
      received.add(r);
      if (r.hasError()) return received;
    }
  }

  /** The next response, waiting up to the timeout; null at the end of the connection. */
  Response take(Duration timeout) throws IOException, InterruptedException {
    Object next = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) throw new IllegalStateException(name + ": no response within " + timeout);
    return unwrap(next);
  }

  /** The responses received so far, without waiting. */
  List<Response> drain() throws IOException {
    List<Object> items = new ArrayList<>();
    responses.drainTo(items);
    List<Response> result = new ArrayList<>(items.size());
    for (Object item : items) {
      Response r = unwrap(item);
      if (r == null) {
        responses.add(END); // keep the end visible to the next call
        break;
      }
      result.add(r);
    }
    return result;
  }

  private Response unwrap(Object item) throws IOException {
    if (item == END) {
      responses.add(END);
      return null;
    }
    if (item instanceof ReadFailure f) throw new IOException(name + ": " + f.cause().getMessage(), f.cause());
    return (Response) item;
  }

  private Response expect(Response.MessageCase kind, Duration timeout) throws IOException, InterruptedException {
    Response r = take(timeout);
    if (r == null) throw new IOException(name + ": connection ended while waiting for " + kind);
    if (r.getMessageCase() != kind) {
      throw new IOException(name + ": expected " + kind + ", got " + (r.hasError() ? "error: " + r.getError().getError() : r.getMessageCase()));
    }
    return r;
  }

  /**
   * Ends the connection as Kapacitor does at task stop: closes the output, reads the responses
   * still coming until the UDF closes its side, and for a process waits for its exit.
   *
   * @return the responses that arrived after the last {@link #drain()} or {@link #take}
   */
  List<Response> finish() throws IOException, InterruptedException {
    if (finished) throw new IllegalStateException("already finished");
    finished = true;
    transport.closeOutput();
    List<Response> rest = new ArrayList<>();
    for (Response r; (r = take(TIMEOUT)) != null; ) rest.add(r);
    exitStatus = transport.awaitEnd(TIMEOUT);
    return rest;
  }

  /** The process's exit status after {@link #finish()}; 0 for a socket. */
  int exitStatus() {
    if (!finished) throw new IllegalStateException("not finished");
    return exitStatus;
  }

  @Override
  public void close() throws IOException {
    try {
      output.close();
    } catch (IOException ignored) {
      // Already closed by finish(), or the peer is gone.
    }
    transport.close();
  }
}
