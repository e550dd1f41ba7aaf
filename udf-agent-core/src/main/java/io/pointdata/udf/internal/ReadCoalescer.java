package io.pointdata.udf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Read coalescing: lets frames that Kapacitor writes one at a time pile up in the kernel for a
 * short, bounded window before the next read, so that one wake-up, one read, one hand-off and one
 * flush serve many points instead of one each.
 *
 * <p>The reader calls {@link #awaitMore()} when it has handed off everything it had read. It waits
 * in slices of at most {@link #SLICE_NANOS} and asks the stream how much is waiting after each: it
 * stops at the end of the window, as soon as a slice brings nothing new (the peer is idle, or has
 * closed: a blocking read then sees new data or the end of input at once), or when enough is
 * waiting to be worth a read. So a keepalive or the end of input is seen at most two slices late,
 * however long the window, and data that is already arriving in bulk is read without waiting.
 *
 * <p>Reader thread only.
 */
final class ReadCoalescer {
  /** The longest single wait: a peer that goes quiet or closes is noticed within it. */
  static final long SLICE_NANOS = 1_000_000;

  /** Bytes waiting that make a read worth it at once: a peer writing this fast needs no help. */
  static final int ENOUGH_BYTES = 16 * 1024;

  private final InputStream in;
  private final long windowNanos;

  ReadCoalescer(InputStream in, Duration window) {
    this.in = in;
    this.windowNanos = window.toNanos();
  }

  /** Waits for more input to arrive before the next read; returns at once when the window is 0. */
  void awaitMore() {
    if (windowNanos == 0) return;
    try {
      int seen = in.available();
      if (seen >= ENOUGH_BYTES) return;
      long deadline = System.nanoTime() + windowNanos;
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        LockSupport.parkNanos(Math.min(left, SLICE_NANOS));
        if (Thread.currentThread().isInterrupted()) return;
        int available = in.available();
        if (available == seen || available >= ENOUGH_BYTES) return;
        seen = available;
      }
    } catch (IOException e) {
      // The read that follows meets the same failure and reports it.
    }
  }
}
