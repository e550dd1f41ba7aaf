package io.pointdata.udf.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test advances it, for testing keepalive timing without waiting.
 *
 * <p>Give it to a {@link FakeKapacitor} or {@link KapacitorSimulator} builder; then {@link
 * #advance} runs, in time order and on the calling thread, every keepalive and watchdog check that
 * falls due. The UDF itself runs in real time: after each keepalive it sends, the simulator waits a
 * little (the builder's {@code keepaliveReplyGrace}) for a reply before time moves on, so a UDF
 * that answers promptly is never timed out by a large advance, and one that does not answer is,
 * deterministically.
 *
 * <p>Starts at 2024-01-01T00:00:00Z unless told otherwise. Thread-safe; one clock should serve one
 * simulator.
 */
public final class ManualClock {
  private final Object lock = new Object();
  // Guarded by lock.
  private long now;
  // Guarded by lock.
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  // Guarded by lock.
  private long sequence;

  private record Task(long at, long seq, Runnable run) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  /** A clock at 2024-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2024-01-01T00:00:00Z"));
  }

  public ManualClock(Instant start) {
    Objects.requireNonNull(start, "start == null");
    this.now = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  /** The current time. */
  public Instant now() {
    return Instant.ofEpochSecond(0, nanos());
  }

  /** The current time in nanoseconds since the epoch. */
  public long nanos() {
    synchronized (lock) {
      return now;
    }
  }

  /**
   * Moves time forward, running every task that falls due (keepalives, watchdog checks, kills) at
   * its own time, in order.
   *
   * @throws IllegalArgumentException if the duration is negative
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration == null");
    if (duration.isNegative()) throw new IllegalArgumentException("duration < 0: " + duration);
    long target;
    synchronized (lock) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (lock) {
        next = tasks.peek();
        if (next == null || next.at > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at);
      }
      next.run.run();
    }
  }

  /** The clock as the simulator's timers. */
  Timers timers() {
    return new Timers() {
      @Override
      public long nanos() {
        return ManualClock.this.nanos();
      }

      @Override
      public Cancellable schedule(long atNanos, Runnable run) {
        Task task;
        synchronized (lock) {
          task = new Task(atNanos, sequence++, run);
          tasks.add(task);
        }
        return () -> {
          synchronized (lock) {
            tasks.remove(task);
          }
        };
      }

      @Override
      public boolean isManual() {
        return true;
      }
    };
  }

  @Override
  public String toString() {
    return "ManualClock(" + now() + ")";
  }
}
