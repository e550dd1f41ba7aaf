package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Read coalescing: the reader waits a bounded window for frames to accumulate. The windows here are
 * far longer than any test may take, so that a wait that is not cut short shows as a timeout rather
 * than as a timing figure.
 */
class ReadCoalescingTest {
  /**
   * Threads for the tests' own blocking I/O, as many as they need: on two cores the common pool may
   * have one thread, and a writer blocked on a full socket there would starve the reader.
   */
  private static final ExecutorService IO =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "test-io");
            thread.setDaemon(true);
            return thread;
          });

  /** Longer than any of these tests may run: waiting it out would fail them. */
  private static final Duration LONG_WINDOW = Duration.ofSeconds(60);

  private static final long PATIENCE_SECONDS = 20;

  @Test
  void keepaliveIsAnsweredWhileTheHandlerIsBusyWithoutWaitingOutTheWindow() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Wire wire =
        new Wire(
            new Forward(
                () -> {
                  inHandler.countDown();
                  release.await();
                }),
            LONG_WINDOW)) {
      wire.send(point(1));
      assertTrue(inHandler.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the handler got the point");
      // A second point just before the keepalive: the reader is inside its window when the
      // keepalive comes.
      wire.send(point(2));
      wire.send(keepalive(7));
      Response first = wire.next();
      assertEquals(7, first.getKeepalive().getTime(), "the keepalive comes first: " + first);
      assertEquals(1, release.getCount(), "answered while the handler still holds point 1");
      release.countDown();
      assertEquals(1, wire.next().getPoint().getTime());
      assertEquals(2, wire.next().getPoint().getTime());
      wire.endInput();
      Session.Result result = wire.awaitEnd();
      assertTrue(result.clean(), String.valueOf(result.error()));
    }
  }

  @Test
  void keepalivesAmongATrickleOfPointsAreAnsweredWhileTheHandlerIsBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    try (Wire wire =
        new Wire(
            new Forward(
                () -> {
                  if (handled.incrementAndGet() == 1) release.await();
                }),
            Duration.ofMillis(500))) {
      // Fewer points than the queue holds batches, so the reader never waits for room.
      for (int i = 0; i < 12; i++) {
        wire.sendAsKapacitor(point(i));
        if (i % 5 == 3) wire.sendAsKapacitor(keepalive(1000 + i));
        Thread.sleep(1);
      }
      for (int i = 0; i < 2; i++) {
        Response answer = wire.next();
        assertEquals(
            1003 + 5 * i, answer.getKeepalive().getTime(), "keepalive " + i + ": " + answer);
      }
      assertEquals(1, release.getCount(), "both answered while the handler still holds point 0");
      release.countDown();
      for (int i = 0; i < 12; i++) assertEquals(i, wire.next().getPoint().getTime());
      wire.endInput();
      Session.Result result = wire.awaitEnd();
      assertTrue(result.clean(), String.valueOf(result.error()));
    }
  }

  @Test
  void pointsAndKeepalivesComeBackInOrderWhateverTheWritePattern() throws Exception {
    int points = 5_000;
    try (Wire wire = new Wire(new Forward(() -> {}), Duration.ofMillis(2))) {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                Random random = new Random(42);
                try {
                  for (int i = 0; i < points; i++) {
                    if (i % 100 == 0) wire.sendAsKapacitor(keepalive(i));
                    if (random.nextBoolean()) wire.sendAsKapacitor(point(i));
                    else wire.send(point(i));
                    if (random.nextInt(50) == 0) Thread.sleep(random.nextInt(3));
                  }
                  wire.endInput();
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              IO);
      long nextPoint = 0;
      long keepalives = 0;
      for (int i = 0; i < points + points / 100; i++) {
        Response r = wire.next();
        if (r.hasKeepalive()) {
          keepalives++;
        } else {
          assertEquals(nextPoint++, r.getPoint().getTime(), "points in the order they were sent");
        }
      }
      writer.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      assertEquals(points, nextPoint);
      assertEquals(points / 100, keepalives);
      Session.Result result = wire.awaitEnd();
      assertTrue(result.clean(), String.valueOf(result.error()));
      assertEquals(
          points, result.requests(), "every point handled, keepalives answered by the reader");
    }
  }

  @Test
  void endOfInputDuringTheWindowEndsTheSessionWithEveryAnswer() throws Exception {
    try (Wire wire = new Wire(new Forward(() -> {}), LONG_WINDOW)) {
      for (int i = 0; i < 3; i++) wire.sendAsKapacitor(point(i));
      // Closed at once: the reader is inside its window (or about to be) when the end of input
      // comes.
      wire.endInput();
      Session.Result result = wire.awaitEnd();
      assertTrue(result.clean(), String.valueOf(result.error()));
      for (int i = 0; i < 3; i++) assertEquals(i, wire.next().getPoint().getTime());
      assertEquals(3, result.responses());
    }
  }

  @Test
  void endOfInputAfterAQuietSpellEndsTheSession() throws Exception {
    try (Wire wire = new Wire(new Forward(() -> {}), LONG_WINDOW)) {
      wire.send(point(1));
      assertEquals(1, wire.next().getPoint().getTime(), "answered without waiting out the window");
      wire.endInput();
      Session.Result result = wire.awaitEnd();
      assertTrue(result.clean(), String.valueOf(result.error()));
    }
  }

  @Test
  void coalescerReturnsAtOnceWhenEnoughIsWaiting() {
    InputStream plenty = new ByteArrayInputStream(new byte[ReadCoalescer.ENOUGH_BYTES]);
    assertReturnsWellWithinTheWindow(new ReadCoalescer(plenty, LONG_WINDOW));
  }

  @Test
  void coalescerStopsWaitingAfterASliceWithNothingNew() {
    assertReturnsWellWithinTheWindow(new ReadCoalescer(InputStream.nullInputStream(), LONG_WINDOW));
  }

  @Test
  void coalescerStopsWaitingWhenTheStreamFails() {
    InputStream closed =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("closed");
          }

          @Override
          public int available() throws IOException {
            throw new IOException("closed");
          }
        };
    assertReturnsWellWithinTheWindow(new ReadCoalescer(closed, LONG_WINDOW));
  }

  @Test
  void aZeroWindowNeverAsksTheStream() {
    AtomicInteger asked = new AtomicInteger();
    InputStream counting =
        new InputStream() {
          @Override
          public int read() {
            return -1;
          }

          @Override
          public int available() {
            asked.incrementAndGet();
            return 0;
          }
        };
    new ReadCoalescer(counting, Duration.ZERO).awaitMore();
    assertEquals(0, asked.get());
  }

  @Test
  void settingsRefuseANegativeWindowAndKeepTheDefaultWithThreeArguments() {
    assertEquals(
        SessionSettings.DEFAULT_READ_WINDOW, new SessionSettings(1024, 16, null).readWindow());
    assertEquals(
        Duration.ZERO, SessionSettings.DEFAULTS.withReadWindow(Duration.ZERO).readWindow());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> SessionSettings.DEFAULTS.withReadWindow(Duration.ofMillis(-1)));
    assertTrue(e.getMessage().contains("readWindow"), e.getMessage());
  }

  private static void assertReturnsWellWithinTheWindow(ReadCoalescer coalescer) {
    CompletableFuture<Void> wait = CompletableFuture.runAsync(coalescer::awaitMore, IO);
    try {
      wait.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("awaitMore() threw", e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError("awaitMore() did not return within " + PATIENCE_SECONDS + " s", e);
    }
  }

  private static Request point(long time) {
    return Request.newBuilder()
        .setPoint(UdfProto.Point.newBuilder().setTime(time).setName("m").putFieldsDouble("t", 19.5))
        .build();
  }

  private static Request keepalive(long time) {
    return Request.newBuilder()
        .setKeepalive(UdfProto.KeepaliveRequest.newBuilder().setTime(time))
        .build();
  }

  /** What the handler does before forwarding a point: block, count. */
  private interface BeforeForward {
    void run() throws InterruptedException;
  }

  private static final class Forward extends AcceptingHandler {
    private final BeforeForward before;

    Forward(BeforeForward before) {
      this.before = before;
    }

    @Override
    public void point(UdfProto.Point point, ResponseSink out) throws Exception {
      before.run();
      out.send(Response.newBuilder().setPoint(point).build());
    }
  }

  /**
   * A session on its own thread with a read window, over a connected pair of Unix sockets: the
   * kernel's own buffering, as with Kapacitor; closing the input half-closes the test's end.
   */
  private static final class Wire implements AutoCloseable {
    private final AFSocket<?> kapacitorEnd;
    private final OutputStream toSession;
    private final FrameWriter writer;
    private final FrameReader<Response> responses;
    private final CompletableFuture<Session.Result> result = new CompletableFuture<>();
    private final Thread runner;

    Wire(UdfHandler handler, Duration window) throws IOException {
      AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
      kapacitorEnd = pair.getSocket1().socket();
      AFSocket<?> agentEnd = pair.getSocket2().socket();
      toSession = kapacitorEnd.getOutputStream();
      writer = new FrameWriter(toSession);
      responses = new FrameReader<>(kapacitorEnd.getInputStream(), Response.parser(), 1 << 20);
      Connection connection =
          new Connection() {
            @Override
            public InputStream input() {
              return (InputStream) streamOf(agentEnd, true);
            }

            @Override
            public OutputStream output() {
              return (OutputStream) streamOf(agentEnd, false);
            }

            @Override
            public void closeOutput() throws IOException {
              // Through the channel: Socket.shutdownOutput() fails on JDK 25 (see AgentWire).
              if (!agentEnd.isClosed() && !agentEnd.isOutputShutdown()) {
                agentEnd.getChannel().shutdownOutput();
              }
            }

            @Override
            public void close() throws IOException {
              agentEnd.close();
            }
          };
      Session session =
          new Session("test", connection, handler, SessionSettings.DEFAULTS.withReadWindow(window));
      runner = new Thread(() -> result.complete(session.run()), "session-under-test");
      runner.setDaemon(true);
      runner.start();
    }

    private static java.io.Closeable streamOf(AFSocket<?> socket, boolean input) {
      try {
        return input ? socket.getInputStream() : socket.getOutputStream();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    synchronized void send(Request request) throws IOException {
      writer.write(request);
      writer.flush();
    }

    /** As Kapacitor writes: the length, then the body, each its own write. */
    synchronized void sendAsKapacitor(Request request) throws IOException {
      byte[] body = request.toByteArray();
      com.google.protobuf.CodedOutputStream header =
          com.google.protobuf.CodedOutputStream.newInstance(toSession, 5);
      header.writeUInt32NoTag(body.length);
      header.flush();
      toSession.flush();
      toSession.write(body);
      toSession.flush();
    }

    void endInput() throws IOException {
      kapacitorEnd.getChannel().shutdownOutput(); // not Socket's: fails on JDK 25
    }

    /** The next response; fails rather than waiting past the tests' patience. */
    Response next() throws Exception {
      Response r =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return responses.read();
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                  },
                  IO)
              .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      if (r == null) throw new AssertionError("the session ended its output");
      return r;
    }

    /**
     * The session's result; fails if it does not end within the tests' patience (far less than the
     * window).
     */
    Session.Result awaitEnd() throws Exception {
      return result.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
      kapacitorEnd.close();
    }
  }
}
