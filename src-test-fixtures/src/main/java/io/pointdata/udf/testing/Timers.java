package io.pointdata.udf.testing;

/** Kapacitor's time: what the keepalive ticker and watchdog read and schedule on. */
interface Timers {
  /** Nanoseconds since the epoch. */
  long nanos();

  /** Runs the task at the given time, on a timer thread or during {@link ManualClock#advance}. */
  Cancellable schedule(long atNanos, Runnable task);

  /** Whether time moves only when a test advances it. */
  boolean isManual();

  /** A scheduled task that can be called off. */
  interface Cancellable {
    void cancel();
  }
}
