package io.pointdata.udf.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long one handler call may take. The handler thread marks each call's start and end (two
 * volatile writes, nothing when no deadline applies); the {@link HandlerWatchdog}'s thread calls
 * {@link #check(long)}, which ends the session once a call is past its deadline: tells Kapacitor
 * why, closes the connection, interrupts the handler, and abandons it if it ignores the interrupt.
 */
final class HandlerDeadline {
  // The session's logger: these lines are about the session, and stay where its log settings send
  // them.
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** How long a handler has to return once interrupted before it is abandoned. */
  private static final long INTERRUPT_GRACE_NANOS = 1_000_000_000L;

  /** The session a passed deadline ends. */
  interface Owner {
    /** Whether the session is ending already, so that no deadline applies any more. */
    boolean stopping();

    /** The session's name in log lines. */
    String label();

    /** Where the session counts what it does. */
    SessionMetrics metrics();

    /** Ends the session, telling Kapacitor why, and closes the connection. */
    void abort(String reason);

    /** Closes the connection, when ending the session the proper way failed. */
    void close();

    /** The handler ignored its interrupt: what the session does about it (a process UDF exits). */
    void handlerStuck();
  }

  private final Duration limit;
  private final long limitNanos;
  private final Owner owner;

  /** Whether a deadline applies, so that the hot path skips the clock when none does. */
  private final boolean applies;

  /** When the current handler call started (never 0), or 0 when the handler is idle. */
  private volatile long busySince;

  /** What the current handler call handles, for the message: "request of type point", "timer". */
  private volatile String busyWith;

  private volatile Thread handlerThread;

  /**
   * @param limit the longest a handler call may take, or null for no limit
   */
  HandlerDeadline(Duration limit, Owner owner) {
    this.limit = limit;
    this.limitNanos = limit == null ? 0 : limit.toNanos();
    this.owner = owner;
    this.applies = limit != null;
  }

  /** Has the watchdog check the calls made on the calling thread, if a deadline applies. */
  void watchCurrentThread() {
    if (!applies) return;
    handlerThread = Thread.currentThread();
    HandlerWatchdog.watch(this);
  }

  /** No more checks: the session is ending. */
  void unwatch() {
    HandlerWatchdog.unwatch(this);
  }

  /** A handler call for {@code what} starts now. */
  void started(String what) {
    if (applies) {
      busyWith = what;
      busySince = System.nanoTime() | 1;
    }
  }

  /** The handler call has returned, or thrown. */
  void finished() {
    if (applies) busySince = 0;
  }

  /** The handler is blocked writing to Kapacitor: time that is not the handler's. */
  void pause() {
    if (applies) busySince = 0;
  }

  /** The handler has its thread back after a write: the call's clock starts again. */
  void resume() {
    if (applies) busySince = System.nanoTime() | 1;
  }

  /** Called by the watchdog: ends the session if the current handler call is past its deadline. */
  void check(long now) {
    long since = busySince;
    if (since == 0 || owner.stopping() || now - since < limitNanos) return;
    String error =
        busyWith + " did not finish within the handler deadline of " + Durations.format(limit);
    String label = owner.label();
    log.error("{}: {}; ending the session", label, error);
    owner.metrics().error(ErrorKind.DEADLINE);
    unwatch();
    // Its own thread: the abort may wait on a peer that is not reading, and the watchdog serves
    // all.
    Thread ending =
        new Thread(
            () -> {
              try {
                owner.abort(error);
                Thread handler = handlerThread;
                if (handler != null) handler.interrupt();
                long giveUp = System.nanoTime() + INTERRUPT_GRACE_NANOS;
                while (busySince != 0 && System.nanoTime() < giveUp)
                  LockSupport.parkNanos(10_000_000L);
                if (busySince != 0) {
                  log.error(
                      "{}: the handler ignored the interrupt and is abandoned", owner.label());
                  owner.handlerStuck();
                }
              } catch (Throwable e) {
                log.error("{}: ending the session past its deadline failed", owner.label(), e);
                owner.close();
              }
            },
            label + "-deadline");
    ending.setDaemon(true);
    ending.start();
  }
}
