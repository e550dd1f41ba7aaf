package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Udf#timer}: output without input, on the handler's thread, from Init to the end. */
class TimerTest {

  /** Counts points; each timer call emits the count since the last one, if any, as a point. */
  static final class Summary implements Udf {
    final AtomicInteger timerCalls = new AtomicInteger();
    final AtomicInteger pointsSeen = new AtomicInteger();
    final AtomicBoolean overlapped = new AtomicBoolean();
    private final Duration period;

    /** Calls under way; atomic, so an overlap on another thread is seen. */
    private final AtomicInteger inCall = new AtomicInteger();

    final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    private int count;
    private long lastTime;

    Summary(Duration period) {
      this.period = period;
    }

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().timer(period).build();
    }

    @Override
    public void point(Point point, Emitter out) {
      enter();
      count++;
      lastTime = point.time();
      pointsSeen.incrementAndGet();
      inCall.decrementAndGet();
    }

    @Override
    public void timer(Emitter out) {
      enter();
      timerCalls.incrementAndGet();
      if (count > 0)
        out.emit(Point.named("summary").time(lastTime).field("count", (long) count).build());
      count = 0;
      inCall.decrementAndGet();
    }

    private void enter() {
      if (inCall.incrementAndGet() != 1) overlapped.set(true);
      callers.add(Thread.currentThread());
    }
  }

  private static UdfProto.Point point(long time) {
    return UdfProto.Point.newBuilder().setTime(time).setName("m").build();
  }

  @Test
  void timerEmitsWhatThePointsLeftWithoutFurtherInput() throws Exception {
    Summary udf = new Summary(Duration.ofMillis(20));
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init().take(MessageCase.INIT);
      wire.point(point(1)).point(point(2)).point(point(3));
      long counted = 0;
      while (counted < 3) { // the three may be split over two timer calls
        Response summary = wire.take(MessageCase.POINT);
        assertEquals("summary", summary.getPoint().getName());
        counted += summary.getPoint().getFieldsIntOrThrow("count");
      }
      assertEquals(3, counted);
    }
  }

  @Test
  void timerCallsNeverOverlapOtherCallsAndNeverPileUp() throws Exception {
    Summary udf = new Summary(Duration.ofMillis(1));
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init().take(MessageCase.INIT);
      for (int i = 1; i <= 50_000; i++)
        wire.sendBuffered(UdfProto.Request.newBuilder().setPoint(point(i)).build());
      wire.flush();
      // The session ends at end of input with no last timer call: let one run after the last
      // point, so that every point is in some summary, however slowly this machine runs.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (udf.pointsSeen.get() < 50_000 && System.nanoTime() < deadline) Thread.sleep(5);
      int callsSoFar = udf.timerCalls.get(); // the next one starts after the last point
      while (udf.timerCalls.get() <= callsSoFar && System.nanoTime() < deadline) Thread.sleep(5);
      long counted = 0;
      List<Response> responses = wire.closeInput().takeUntilEof();
      for (Response r : responses) counted += r.getPoint().getFieldsIntOrThrow("count");
      assertEquals(50_000, counted, "every point counted once, by some timer call");
      assertFalse(udf.overlapped.get(), "a timer call ran during another call");
      assertEquals(
          1,
          udf.callers.size(),
          "point and timer calls all on the handler's thread: " + udf.callers);
      assertTrue(udf.timerCalls.get() >= 1, "the timer ran");
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void noTimerCallBeforeInitNorAfterTheSessionEnds() throws Exception {
    Summary udf = new Summary(Duration.ofMillis(5));
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.info().take(MessageCase.INFO);
      Thread.sleep(100);
      assertEquals(0, udf.timerCalls.get(), "timer calls before Init");
      wire.init().take(MessageCase.INIT);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (udf.timerCalls.get() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
      assertTrue(udf.timerCalls.get() >= 3, "timer calls after Init: " + udf.timerCalls.get());
      wire.closeInput().takeUntilEof();
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
      int atEnd = udf.timerCalls.get();
      Thread.sleep(100);
      assertEquals(atEnd, udf.timerCalls.get(), "timer calls after the session ended");
    }
  }

  @Test
  void aThrowingTimerEndsTheNodeWithAnErrorNamingTheTimer() throws Exception {
    Udf failing =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().timer(Duration.ofMillis(5)).build();
          }

          @Override
          public void timer(Emitter out) {
            throw new IllegalStateException("model server unreachable");
          }
        };
    try (AgentWire wire = AgentWire.start(failing)) {
      wire.init().take(MessageCase.INIT);
      assertEquals(
          "error processing timer: IllegalStateException: model server unreachable",
          wire.take(MessageCase.ERROR).getError().getError());
    }
  }

  @Test
  void aUdfChoosesItsPeriodAtInitFromAnOption() throws Exception {
    Option<Duration> every = Option.ofDuration("every");
    AtomicInteger calls = new AtomicInteger();
    Udf flusher =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().options(every).build(); // no timer until Init says so
          }

          @Override
          public void init(InitContext ctx) {
            ctx.timer(ctx.get(every));
          }

          @Override
          public void timer(Emitter out) {
            calls.incrementAndGet();
          }
        };
    try (AgentWire wire = AgentWire.start(flusher)) {
      wire.init(AgentWire.option("every", AgentWire.durationValue(5_000_000L)))
          .take(MessageCase.INIT);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (calls.get() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
      assertTrue(calls.get() >= 3, "timer calls at the period chosen at Init: " + calls.get());
    }
  }

  @Test
  void aPeriodUnderAMillisecondIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UdfSpec.stream().timer(Duration.ofNanos(999_999)));
    assertEquals("timer period must be at least 1ms, got PT0.000999999S", e.getMessage());
  }
}
