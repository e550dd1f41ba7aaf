package io.pointdata.udf.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Schedules the sessions' UDF timers. One daemon thread for the whole JVM, which only queues a
 * timer call for each due session: the call itself runs on that session's handler thread.
 */
final class SessionTimers {
  // Guarded by SessionTimers.class.
  private static ScheduledThreadPoolExecutor executor;

  private SessionTimers() {}

  static synchronized ScheduledFuture<?> every(Duration period, Runnable due) {
    if (executor == null) {
      executor =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "udf-timers");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
    }
    long nanos = period.toNanos();
    return executor.scheduleAtFixedRate(due, nanos, nanos, TimeUnit.NANOSECONDS);
  }
}
