package io.pointdata.udf.testing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock time, with tasks on one daemon thread; shut down with its simulator. */
final class SystemTimers implements Timers, AutoCloseable {
  private final ScheduledExecutorService executor;

  SystemTimers(String name) {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fake-kapacitor-timer " + name);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public long nanos() {
    // Epoch nanoseconds, as Go's time.Now().UnixNano(); System.nanoTime() has no epoch.
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public Cancellable schedule(long atNanos, Runnable task) {
    long delay = Math.max(0, atNanos - nanos());
    ScheduledFuture<?> future = executor.schedule(task, delay, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public boolean isManual() {
    return false;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
