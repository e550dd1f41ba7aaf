package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.ResponseSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ending a session from another thread, whatever its handler is doing at that moment. */
class SessionAbortTest {

  /** A handler whose first timer call blocks until the test lets it return. */
  private static final class BlockedTimer extends AcceptingHandler {
    final CountDownLatch inTimer = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void point(UdfProto.Point point, ResponseSink out) {}

    @Override
    public Duration timerPeriod() {
      return Duration.ofMillis(1);
    }

    @Override
    public void timer(ResponseSink out) throws InterruptedException {
      inTimer.countDown();
      release.await();
    }
  }

  @Test
  void anAbortDuringATimerCallEndsTheSessionOnceTheCallReturns() throws Exception {
    BlockedTimer handler = new BlockedTimer();
    Pipe toAgent = Pipe.open();
    Pipe fromAgent = Pipe.open();
    Session session =
        new Session(
            "abort-race",
            Connection.of(
                Channels.newInputStream(toAgent.source()),
                Channels.newOutputStream(fromAgent.sink())),
            handler,
            SessionSettings.DEFAULTS);
    daemon("kapacitor-reader", () -> drain(Channels.newInputStream(fromAgent.source())));
    CompletableFuture<Session.Result> result = new CompletableFuture<>();
    daemon("session", () -> result.complete(session.run()));
    FrameWriter kapacitor = new FrameWriter(Channels.newOutputStream(toAgent.sink()));
    kapacitor.write(
        UdfProto.Request.newBuilder().setInit(UdfProto.InitRequest.getDefaultInstance()).build());
    kapacitor.flush();
    assertTrue(handler.inTimer.await(10, TimeUnit.SECONDS), "the timer runs after Init");

    session.abort("stopped by the test");
    // The reader ends on the closed connection and drops what is queued for the handler, all
    // before the handler looks at its queue again: the abort must still be there for it.
    awaitEnd("abort-race-reader");
    handler.release.countDown();

    Session.Result ended = result.get(10, TimeUnit.SECONDS);
    assertEquals("stopped by the test", ended.error());
  }

  @Test
  void idleSessionsAbortedAtOnceAllEnd() throws Exception {
    // An idle handler waits on its queue; the abort's wake-up races the reader, which the closed
    // connection ends and which drops what is queued. Many at once make the race likely.
    int sessions = 200;
    List<Session> open = new ArrayList<>();
    List<CompletableFuture<Session.Result>> results = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      Pipe toAgent = Pipe.open();
      Pipe fromAgent = Pipe.open();
      Session session =
          new Session(
              "idle-" + i,
              Connection.of(
                  Channels.newInputStream(toAgent.source()),
                  Channels.newOutputStream(fromAgent.sink())),
              new BlockedTimer(),
              SessionSettings.DEFAULTS);
      daemon("kapacitor-reader-" + i, () -> drain(Channels.newInputStream(fromAgent.source())));
      CompletableFuture<Session.Result> result = new CompletableFuture<>();
      daemon("session-" + i, () -> result.complete(session.run()));
      open.add(session);
      results.add(result);
    }
    open.parallelStream().forEach(s -> s.abort("stopped by the test"));
    for (CompletableFuture<Session.Result> result : results) {
      assertEquals("stopped by the test", result.get(20, TimeUnit.SECONDS).error());
    }
  }

  private static void drain(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the session closed its side
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void awaitEnd(String threadName) throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(threadName)) {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive(), threadName + " ends when the connection is closed");
      }
    }
  }
}
