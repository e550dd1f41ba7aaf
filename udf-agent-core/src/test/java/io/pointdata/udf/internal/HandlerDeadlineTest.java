package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Calls {@link HandlerDeadline#check(long)} with a clock of its own choosing, as the watchdog
 * would, against an hour-long limit that the real watchdog never reaches during the test.
 */
class HandlerDeadlineTest {
  private static final Duration LIMIT = Duration.ofHours(1);
  private static final long LIMIT_NANOS = LIMIT.toNanos();

  @Test
  void anIdleHandlerIsNeverPastItsDeadline() {
    FakeOwner owner = new FakeOwner("idle");
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    deadline.check(System.nanoTime() + 2 * LIMIT_NANOS);
    deadline.started("request of type point");
    deadline.finished();
    deadline.check(System.nanoTime() + 2 * LIMIT_NANOS);
    assertEquals(0, owner.overruns.get());
  }

  @Test
  void aCallIsPastItsDeadlineOnlyOnceTheLimitHasPassed() throws Exception {
    FakeOwner owner = new FakeOwner("limit");
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    long before = System.nanoTime();
    deadline.started("request of type point");
    deadline.check(before + LIMIT_NANOS - 1_000_000_000L);
    assertEquals(0, owner.overruns.get(), "a second short of the limit");
    deadline.check(System.nanoTime() + LIMIT_NANOS);
    assertEquals(1, owner.overruns.get());
    assertTrue(
        owner.aborted.await(10, TimeUnit.SECONDS), "the session was not aborted within 10 s");
    assertEquals(
        "request of type point did not finish within the handler deadline of 1h",
        owner.reason.get());
    deadline.finished(); // as the handler, interrupted, would
  }

  @Test
  void noDeadlineAppliesWhenThereIsNoLimit() {
    FakeOwner owner = new FakeOwner("none");
    HandlerDeadline deadline = new HandlerDeadline(null, owner);
    deadline.started("timer");
    deadline.resume();
    deadline.check(Long.MAX_VALUE / 2);
    assertEquals(0, owner.overruns.get());
  }

  @Test
  void aSessionAlreadyStoppingIsLeftAlone() {
    FakeOwner owner = new FakeOwner("stopping");
    owner.stopping = true;
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    deadline.started("timer");
    deadline.check(System.nanoTime() + 2 * LIMIT_NANOS);
    assertEquals(0, owner.overruns.get());
  }

  @Test
  void timeSpentWritingIsNotTheHandlersAndEachWriteRestartsTheClock() {
    FakeOwner owner = new FakeOwner("paused");
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    deadline.started("timer");
    deadline.pause();
    deadline.check(System.nanoTime() + 2 * LIMIT_NANOS);
    assertEquals(0, owner.overruns.get(), "blocked writing");
    long beforeResume = System.nanoTime();
    deadline.resume();
    deadline.check(beforeResume + LIMIT_NANOS - 1_000_000_000L);
    assertEquals(0, owner.overruns.get(), "the clock restarted at the write");
    deadline.check(System.nanoTime() + LIMIT_NANOS);
    assertEquals(1, owner.overruns.get());
    deadline.finished();
  }

  @Test
  void aHandlerPastItsDeadlineIsInterruptedAndNotAbandonedWhenItReturns() throws Exception {
    FakeOwner owner = new FakeOwner("interrupted");
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread handler =
        new Thread(
            () -> {
              deadline.watchCurrentThread();
              deadline.started("request of type point");
              busy.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                interrupted.countDown();
              } finally {
                deadline.finished();
              }
            },
            "handler-interrupted");
    handler.start();
    assertTrue(busy.await(10, TimeUnit.SECONDS), "the handler did not start within 10 s");
    deadline.check(System.nanoTime() + LIMIT_NANOS);
    assertTrue(
        owner.aborted.await(10, TimeUnit.SECONDS), "the session was not aborted within 10 s");
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the handler thread is interrupted");
    handler.join(10_000);
    joinEndingThread("interrupted");
    assertEquals(0, owner.stuck.get());
    assertEquals(0, owner.closes.get());
  }

  @Test
  void aHandlerThatIgnoresTheInterruptIsAbandoned() throws Exception {
    FakeOwner owner = new FakeOwner("stuck");
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread handler =
        new Thread(
            () -> {
              deadline.watchCurrentThread();
              deadline.started("timer");
              busy.countDown();
              while (true) {
                try {
                  if (release.await(60, TimeUnit.SECONDS)) break;
                } catch (InterruptedException ignored) {
                  // the handler under test ignores interrupts
                }
              }
              deadline.finished();
            },
            "handler-stuck");
    handler.setDaemon(true);
    handler.start();
    try {
      assertTrue(busy.await(10, TimeUnit.SECONDS), "the handler did not start within 10 s");
      deadline.check(System.nanoTime() + LIMIT_NANOS);
      joinEndingThread("stuck");
      assertEquals(1, owner.stuck.get());
      assertEquals("timer did not finish within the handler deadline of 1h", owner.reason.get());
    } finally {
      release.countDown();
      deadline.unwatch();
    }
  }

  @Test
  void aFailingAbortStillClosesTheConnection() throws Exception {
    FakeOwner owner = new FakeOwner("failing");
    owner.abortFails = true;
    HandlerDeadline deadline = new HandlerDeadline(LIMIT, owner);
    deadline.started("timer");
    deadline.check(System.nanoTime() + LIMIT_NANOS);
    joinEndingThread("failing");
    assertEquals(1, owner.closes.get());
    assertEquals(0, owner.stuck.get());
    deadline.finished();
  }

  /**
   * Waits for the thread that ends the session past its deadline, named after the session: started
   * before check() returns, so if it is not alive now it is over.
   */
  private static void joinEndingThread(String label) throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(label + "-deadline")) {
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the deadline's thread ended");
      }
    }
  }

  private static final class FakeOwner implements HandlerDeadline.Owner {
    final String label;
    final SessionMetrics metrics;
    final AtomicInteger overruns = new AtomicInteger();
    final AtomicInteger stuck = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicReference<String> reason = new AtomicReference<>();
    final CountDownLatch aborted = new CountDownLatch(1);
    volatile boolean stopping;
    volatile boolean abortFails;

    FakeOwner(String label) {
      this.label = label;
      this.metrics = new SessionMetrics(label);
    }

    @Override
    public boolean stopping() {
      return stopping;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public SessionMetrics metrics() {
      overruns.incrementAndGet(); // asked for once per overrun, to count it
      return metrics;
    }

    @Override
    public void abort(String why) {
      reason.set(why);
      aborted.countDown();
      if (abortFails) throw new IllegalStateException("cannot abort");
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }

    @Override
    public void handlerStuck() {
      stuck.incrementAndGet();
    }
  }
}
