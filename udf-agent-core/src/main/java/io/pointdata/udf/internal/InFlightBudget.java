package io.pointdata.udf.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of Kapacitor's frames that may be held at once, read but not yet handled, across every
 * session that shares the budget: a server's sessions share one, so that many sessions cannot
 * together read more than the heap holds.
 *
 * <p>A reader reserves a frame's declared length before reading its body, and waits while the
 * budget is used up (the waiting reader stops reading, which pushes back on Kapacitor); the session
 * releases it once the frame is handled. A frame larger than the whole budget can never be read and
 * is refused at once. A reader holds no partial reservation while it waits, so readers cannot
 * deadlock one another; only handlers release.
 *
 * <p>Small frames ({@link #SMALL_FRAME} bytes or fewer: Kapacitor's points and keepalives) are
 * counted but never wait: otherwise one task whose handler is stuck with a full queue could stop
 * every other session's reader, and with it their keepalive answers, and Kapacitor would kill those
 * tasks. They are bounded by each session's queue instead.
 */
public final class InFlightBudget {
  /**
   * The share of the heap ({@code -Xmx}), in percent, that frames in flight may take by default.
   * Handling a frame takes about twice its size again (a large string is decoded beside its bytes):
   * at {@code -Xmx64m} a 19 MiB point is answered and one of 20 MiB runs out of memory.
   */
  public static final int DEFAULT_HEAP_PERCENT = 30;

  /** The largest frame that is counted without waiting: the size of a session's read buffer. */
  static final int SMALL_FRAME = FrameReader.BUFFER_SIZE;

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final Object waiting = new Object();
  private volatile int waiters;

  public InFlightBudget(long limitBytes) {
    if (limitBytes < 1) throw new IllegalArgumentException("in-flight budget < 1: " + limitBytes);
    this.limit = limitBytes;
  }

  /** 30 % of the heap this JVM may grow to: 18.5 MiB of {@code -Xmx64m}. */
  public static long defaultBytes() {
    return Runtime.getRuntime().maxMemory() / 100 * DEFAULT_HEAP_PERCENT;
  }

  public long limit() {
    return limit;
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  /**
   * Reserves {@code bytes}, waiting until they are free.
   *
   * @throws FrameException if {@code bytes} exceeds the whole budget: frame {@code frameNumber} can
   *     never be read
   * @throws InterruptedException if interrupted while waiting
   */
  void acquire(long bytes, long frameNumber) throws FrameException, InterruptedException {
    if (bytes > limit) {
      throw new FrameException(
          "frame "
              + frameNumber
              + " declares "
              + bytes
              + " bytes, over the agent's in-flight"
              + " budget of "
              + limit
              + " bytes (30 % of the heap by default: raise -Xmx for larger frames)");
    }
    if (bytes <= SMALL_FRAME) {
      used.addAndGet(bytes);
      return;
    }
    if (tryAcquire(bytes)) return;
    synchronized (waiting) {
      waiters++;
      try {
        // A release between a failed try and wait() is caught by the timeout.
        while (!tryAcquire(bytes)) waiting.wait(50);
      } finally {
        waiters--;
      }
    }
  }

  private boolean tryAcquire(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) return false;
      if (used.compareAndSet(now, now + bytes)) return true;
    }
  }

  /** Returns bytes reserved with {@link #acquire}. */
  void release(long bytes) {
    if (bytes == 0) return;
    used.addAndGet(-bytes);
    if (waiters > 0) {
      synchronized (waiting) {
        waiting.notifyAll();
      }
    }
  }
}
