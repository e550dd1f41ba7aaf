package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Kapacitor's side of a UDF session for tests: either an agent on a thread, connected by two OS
 * pipes as a process's stdin and stdout are, or a connection to a socket UDF. Requests are written
 * raw or as messages; responses are read by a thread into a queue so that a test never blocks for
 * long.
 */
final class AgentWire implements AutoCloseable {
  private static final Object EOF = new Object();

  private final OutputStream toAgent;
  private final FrameWriter writer;
  private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
  private final CompletableFuture<Boolean> result = new CompletableFuture<>();

  private final Closeable closeInput;

  private AgentWire(OutputStream toAgent, Closeable closeInput, InputStream fromAgent) {
    this.toAgent = toAgent;
    this.closeInput = closeInput;
    this.writer = new FrameWriter(toAgent);
    Thread reader = new Thread(() -> readResponses(fromAgent), "kapacitor-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static AgentWire start(Udf udf) throws IOException {
    return start(Protocol.handler(udf));
  }

  /** Plays Kapacitor's side to a spawned process UDF over its stdin and stdout. */
  static AgentWire attach(Process udf) {
    return new AgentWire(udf.getOutputStream(), udf.getOutputStream(), udf.getInputStream());
  }

  /** Runs the handler in an agent on a thread, over two OS pipes. */
  static AgentWire start(UdfHandler handler) throws IOException {
    Pipe requests = Pipe.open();
    Pipe replies = Pipe.open();
    InputStream agentIn = Channels.newInputStream(requests.source());
    OutputStream agentOut = Channels.newOutputStream(replies.sink());
    OutputStream toAgent = Channels.newOutputStream(requests.sink());
    AgentWire wire = new AgentWire(toAgent, toAgent, Channels.newInputStream(replies.source()));
    Thread agent =
        new Thread(
            () -> {
              try {
                wire.result.complete(UdfAgent.serve(agentIn, agentOut, handler));
              } catch (Throwable t) {
                wire.result.completeExceptionally(t);
              }
            },
            "agent-under-test");
    agent.setDaemon(true);
    agent.start();
    return wire;
  }

  /** Connects to a socket UDF as Kapacitor does; closing the input half-closes the socket. */
  static AgentWire connect(Path socketPath) throws IOException {
    AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath.toFile()));
    // Through the channel: on JDK 25 Socket.shutdownOutput() refuses a junixsocket socket as "not
    // connected".
    AgentWire wire =
        new AgentWire(
            socket.getOutputStream(),
            () -> socket.getChannel().shutdownOutput(),
            socket.getInputStream());
    wire.socket = socket;
    return wire;
  }

  /**
   * Connects once a freshly started server accepts, retrying as Kapacitor does: the socket file
   * exists a moment before the server listens on it, and a connect in that gap is refused.
   */
  static AgentWire connectWhenListening(Path socketPath, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return connect(socketPath);
      } catch (SocketException notYet) {
        if (System.nanoTime() > deadline) throw notYet;
        Thread.sleep(20);
      }
    }
  }

  private AFUNIXSocket socket;

  private void readResponses(InputStream in) {
    FrameReader<Response> frames = new FrameReader<>(in, Response.parser(), 64 << 20);
    try {
      for (Response r; (r = frames.read()) != null; ) responses.add(r);
    } catch (IOException e) {
      responses.add(e);
    }
    responses.add(EOF);
  }

  AgentWire send(Request request) {
    try {
      writer.write(request);
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Buffers a request without flushing, for bulk sends; see {@link #flush()}. */
  AgentWire sendBuffered(Request request) {
    try {
      writer.write(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  AgentWire flush() {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  AgentWire sendRaw(byte[] bytes) {
    try {
      toAgent.write(bytes);
      toAgent.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  AgentWire info() {
    return send(Request.newBuilder().setInfo(UdfProto.InfoRequest.getDefaultInstance()).build());
  }

  AgentWire init(UdfProto.Option... options) {
    UdfProto.InitRequest.Builder init =
        UdfProto.InitRequest.newBuilder().setTaskID("task").setNodeID("udf1");
    for (UdfProto.Option o : options) init.addOptions(o);
    return send(Request.newBuilder().setInit(init).build());
  }

  AgentWire point(UdfProto.Point point) {
    return send(Request.newBuilder().setPoint(point).build());
  }

  AgentWire keepalive(long time) {
    return send(
        Request.newBuilder()
            .setKeepalive(UdfProto.KeepaliveRequest.newBuilder().setTime(time))
            .build());
  }

  /** Closes the agent's input, as Kapacitor does at task stop. */
  AgentWire closeInput() {
    try {
      closeInput.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** How long a test waits for the agent: long enough for a loaded machine, short of a hang. */
  static final int WAIT_SECONDS = 30;

  /** The next response; fails the test after {@link #WAIT_SECONDS} or at end of output. */
  Response take() {
    Object next = poll(WAIT_SECONDS);
    if (next == null) fail("no response within " + WAIT_SECONDS + " s");
    if (next == EOF) fail("the agent closed its output");
    if (next instanceof IOException e) fail("bad response stream: " + e);
    return (Response) next;
  }

  Response take(Response.MessageCase kind) {
    Response r = take();
    assertEquals(kind, r.getMessageCase(), () -> "expected " + kind + ", got " + r);
    return r;
  }

  /** Every response up to end of output, which must come within {@link #WAIT_SECONDS}. */
  List<Response> takeUntilEof() {
    List<Response> rest = new ArrayList<>();
    while (true) {
      Object next = poll(WAIT_SECONDS);
      assertNotNull(next, "the agent did not close its output within " + WAIT_SECONDS + " s");
      if (next == EOF) return rest;
      if (next instanceof IOException e) fail("bad response stream: " + e);
      rest.add((Response) next);
    }
  }

  /** Whether the session ended cleanly; fails if it has not ended within {@link #WAIT_SECONDS}. */
  boolean sessionResult() {
    try {
      return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the session did not end within " + WAIT_SECONDS + " s", e);
    }
  }

  private Object poll(int seconds) {
    try {
      return responses.poll(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static UdfProto.Option option(String name, UdfProto.OptionValue... values) {
    UdfProto.Option.Builder o = UdfProto.Option.newBuilder().setName(name);
    for (UdfProto.OptionValue v : values) o.addValues(v);
    return o.build();
  }

  static UdfProto.OptionValue doubleValue(double d) {
    return UdfProto.OptionValue.newBuilder()
        .setType(UdfProto.ValueType.DOUBLE)
        .setDoubleValue(d)
        .build();
  }

  static UdfProto.OptionValue intValue(long i) {
    return UdfProto.OptionValue.newBuilder().setType(UdfProto.ValueType.INT).setIntValue(i).build();
  }

  static UdfProto.OptionValue stringValue(String s) {
    return UdfProto.OptionValue.newBuilder()
        .setType(UdfProto.ValueType.STRING)
        .setStringValue(s)
        .build();
  }

  static UdfProto.OptionValue durationValue(long nanos) {
    return UdfProto.OptionValue.newBuilder()
        .setType(UdfProto.ValueType.DURATION)
        .setDurationValue(nanos)
        .build();
  }

  static UdfProto.OptionValue boolValue(boolean b) {
    return UdfProto.OptionValue.newBuilder()
        .setType(UdfProto.ValueType.BOOL)
        .setBoolValue(b)
        .build();
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close();
      } else {
        toAgent.close();
      }
    } catch (IOException ignored) {
      // already closed
    }
  }
}
