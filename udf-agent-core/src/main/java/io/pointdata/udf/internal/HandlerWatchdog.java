package io.pointdata.udf.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Ends sessions whose handler call overruns its deadline. One daemon thread for the whole JVM
 * checks the {@link HandlerDeadline} of each session that has one; the hot path only writes two
 * volatile fields per request.
 */
final class HandlerWatchdog {
  private static final long TICK_NANOS = 50_000_000L;
  private static final Set<HandlerDeadline> watched = ConcurrentHashMap.newKeySet();
  // Guarded by HandlerWatchdog.class.
  private static Thread thread;

  private HandlerWatchdog() {}

  static void watch(HandlerDeadline deadline) {
    watched.add(deadline);
    synchronized (HandlerWatchdog.class) {
      if (thread == null) {
        thread = new Thread(HandlerWatchdog::run, "udf-handler-watchdog");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  static void unwatch(HandlerDeadline deadline) {
    watched.remove(deadline);
  }

  private static void run() {
    try {
      while (true) {
        LockSupport.parkNanos(TICK_NANOS);
        try {
          checkAll(System.nanoTime());
        } catch (Throwable e) {
          // Out of memory, say, while iterating: the deadlines are checked again next tick.
          LoggerFactory.getLogger(HandlerWatchdog.class)
              .error("checking handler deadlines failed", e);
        }
      }
    } finally {
      // Should the thread die anyway, the next watch() starts another rather than none ever
      // running.
      synchronized (HandlerWatchdog.class) {
        thread = null;
      }
    }
  }

  private static void checkAll(long now) {
    for (HandlerDeadline deadline : watched) {
      try {
        deadline.check(now);
      } catch (Throwable e) {
        // Out of memory or threads, say: this session is checked again next tick, the others go
        // on.
        LoggerFactory.getLogger(HandlerWatchdog.class)
            .error("checking a handler's deadline failed", e);
      }
    }
  }
}
