package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one session has done: requests by kind, responses emitted, inputs dropped, handler call
 * durations, errors, keepalives, requests waiting in the hand-off queue.
 *
 * <p>The per-request counters are written by the handler thread alone, as plain increments
 * published with opaque stores (on x86 and ARM an ordinary store: no fence, no lock), and read by
 * any thread with opaque loads, which see each count whole and never going back. The reader thread
 * counts the requests it hands over in a cache line of its own, so the two threads never write the
 * same line; the queue depth is the difference, taken when read. Rare events (errors, keepalives),
 * written by several threads, are atomics.
 */
public final class SessionMetrics {
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int KINDS = Request.MessageCase.values().length;

  // Layout of counts: requests by kind, then the rest, then the duration buckets.
  static final int POINTS_EMITTED = KINDS;
  static final int BATCHES_EMITTED = KINDS + 1;
  static final int DROPPED = KINDS + 2;
  static final int HANDLER_NANOS = KINDS + 3;

  /** Requests taken from the hand-off queue. */
  static final int DEQUEUED = KINDS + 4;

  static final int BUCKETS = KINDS + 5;
  static final int SIZE = BUCKETS + DurationHistogram.BUCKETS;

  private final String id;
  // Written by the handler thread only.
  private final long[] counts = new long[SIZE];
  private final AtomicLongArray errors = new AtomicLongArray(ErrorKind.values().length);

  /** Requests handed over, in the middle slot: 64 bytes from anything else. Reader thread only. */
  private final long[] handedOff = new long[2 * HANDED_OFF + 1];

  private static final int HANDED_OFF = 8;
  private final AtomicLong keepalives = new AtomicLong();
  private volatile String task = "";
  private volatile String node = "";

  public SessionMetrics(String id) {
    this.id = id;
  }

  /** The session's name, e.g. "socket-3". */
  public String id() {
    return id;
  }

  /** The task's ID as Kapacitor gave it at Init; empty before. */
  public String task() {
    return task;
  }

  /** The node's ID as Kapacitor gave it at Init; empty before. */
  public String node() {
    return node;
  }

  void named(String task, String node) {
    this.task = task;
    this.node = node;
  }

  /** Handler thread: a request is about to be handled. */
  void received(Request.MessageCase kind) {
    increment(kind.ordinal());
  }

  /**
   * Handler thread: the request that started at {@code start} (a {@link System#nanoTime()}) is
   * handled. Data requests (begin, point, end) go into the duration histogram. Returns now, the
   * start of the next request, so that each request costs one clock read, not two.
   */
  long handled(Request.MessageCase kind, long start) {
    long now = System.nanoTime();
    if (kind == Request.MessageCase.POINT
        || kind == Request.MessageCase.BEGIN
        || kind == Request.MessageCase.END) {
      long nanos = now - start;
      increment(BUCKETS + DurationHistogram.bucket(nanos));
      COUNTS.setOpaque(counts, HANDLER_NANOS, counts[HANDLER_NANOS] + nanos);
    }
    return now;
  }

  /** Handler thread: a data response is on its way to Kapacitor. */
  void emitted(Response response) {
    switch (response.getMessageCase()) {
      case POINT -> increment(POINTS_EMITTED);
      case BEGIN -> increment(BATCHES_EMITTED);
      default -> {}
    }
  }

  /** Handler thread: an input was dropped under {@code OnError.DROP_AND_LOG}. */
  public void dropped() {
    increment(DROPPED);
  }

  void error(ErrorKind kind) {
    errors.incrementAndGet(kind.ordinal());
  }

  void keepaliveAnswered() {
    keepalives.incrementAndGet();
  }

  /** Reader thread: requests handed over to the handler. */
  void queued(int requests) {
    COUNTS.setOpaque(handedOff, HANDED_OFF, handedOff[HANDED_OFF] + requests);
  }

  /** Handler thread: requests taken from the queue. */
  void dequeued(int requests) {
    COUNTS.setOpaque(counts, DEQUEUED, counts[DEQUEUED] + requests);
  }

  private void increment(int index) {
    COUNTS.setOpaque(counts, index, counts[index] + 1);
  }

  /** Adds this session's counts to totals laid out as {@link Totals} lays them out. */
  void addTo(Totals totals) {
    long taken = (long) COUNTS.getOpaque(counts, DEQUEUED);
    for (int i = 0; i < SIZE; i++)
      totals.counts[i] += i == DEQUEUED ? taken : (long) COUNTS.getOpaque(counts, i);
    // Two threads' counts read one after the other: a moment apart, hence the clamp.
    totals.queued += Math.max(0, (long) COUNTS.getOpaque(handedOff, HANDED_OFF) - taken);
    for (ErrorKind kind : ErrorKind.values())
      totals.errors[kind.ordinal()] += errors.get(kind.ordinal());
    totals.keepalives += keepalives.get();
  }

  /** Counts summed over sessions; not thread-safe. */
  static final class Totals {
    final long[] counts = new long[SIZE];
    final long[] errors = new long[ErrorKind.values().length];
    long keepalives;
    long queued;

    void add(Totals other) {
      for (int i = 0; i < SIZE; i++) counts[i] += other.counts[i];
      for (int i = 0; i < errors.length; i++) errors[i] += other.errors[i];
      keepalives += other.keepalives;
      queued += other.queued;
    }

    long requests(Request.MessageCase kind) {
      return counts[kind.ordinal()];
    }
  }
}
