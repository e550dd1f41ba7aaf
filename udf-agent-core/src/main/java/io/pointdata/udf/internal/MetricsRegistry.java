package io.pointdata.udf.internal;

import io.pointdata.udf.UdfMetrics;
import io.pointdata.udf.proto.UdfProto.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of one UDF: its open sessions' counters, and those of ended sessions folded into
 * totals, so that every count only grows. Sessions register when they start and unregister when
 * they end; a snapshot sums them (the work is done when someone reads, never per request).
 */
public final class MetricsRegistry {
  private final String udf;
  private final Set<SessionMetrics> open = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  // Guarded by lock: the counts of ended sessions.
  private final SessionMetrics.Totals ended = new SessionMetrics.Totals();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  public MetricsRegistry(String udf) {
    this.udf = udf;
  }

  public String udf() {
    return udf;
  }

  /** Registers a new session's counters. */
  public SessionMetrics open(String id) {
    SessionMetrics metrics = new SessionMetrics(id);
    open.add(metrics);
    opened.incrementAndGet();
    return metrics;
  }

  /** Folds an ended session's counters into the totals; later calls for it do nothing. */
  public void close(SessionMetrics metrics) {
    synchronized (lock) {
      if (!open.remove(metrics)) return;
      SessionMetrics.Totals last = new SessionMetrics.Totals();
      metrics.addTo(last);
      last.queued = 0; // what an aborted session left in its queue is gone with it
      ended.add(last);
    }
    closed.incrementAndGet();
  }

  /** A connection refused before any session started. */
  public void refused() {
    refused.incrementAndGet();
  }

  /** Sessions open now. */
  public int activeSessions() {
    return open.size();
  }

  /** The counts now. */
  public UdfMetrics snapshot() {
    SessionMetrics.Totals totals = new SessionMetrics.Totals();
    List<UdfMetrics.OpenSession> sessions = new ArrayList<>();
    long active;
    synchronized (lock) { // a session is in open or in ended, never both or neither
      totals.add(ended);
      for (SessionMetrics session : open) {
        SessionMetrics.Totals own = new SessionMetrics.Totals();
        session.addTo(own);
        totals.add(own);
        long errors = 0;
        for (long n : own.errors) errors += n;
        sessions.add(
            new UdfMetrics.OpenSession(
                session.id(),
                session.task(),
                session.node(),
                own.requests(Request.MessageCase.POINT),
                own.counts[SessionMetrics.POINTS_EMITTED],
                own.counts[SessionMetrics.DROPPED],
                errors));
      }
      active = sessions.size();
    }
    totals.errors[ErrorKind.REFUSED.ordinal()] += refused.get();
    Map<String, Long> requests = new LinkedHashMap<>();
    for (Request.MessageCase kind : Request.MessageCase.values()) {
      requests.put(Session.kind(kind), totals.requests(kind));
    }
    // The reader answers keepalives without handing them over: each one answered is one received.
    requests.put(Session.kind(Request.MessageCase.KEEPALIVE), totals.keepalives);
    Map<String, Long> errors = new LinkedHashMap<>();
    for (ErrorKind kind : ErrorKind.values())
      errors.put(kind.label(), totals.errors[kind.ordinal()]);
    List<Double> bounds = new ArrayList<>();
    for (long bound : DurationHistogram.BOUNDS_NANOS) bounds.add(bound / 1e9);
    List<Long> buckets = new ArrayList<>();
    for (int i = 0; i < DurationHistogram.BUCKETS; i++)
      buckets.add(totals.counts[SessionMetrics.BUCKETS + i]);
    return new UdfMetrics(
        udf,
        totals.requests(Request.MessageCase.POINT),
        totals.requests(Request.MessageCase.BEGIN),
        totals.counts[SessionMetrics.POINTS_EMITTED],
        totals.counts[SessionMetrics.BATCHES_EMITTED],
        requests,
        errors,
        totals.counts[SessionMetrics.DROPPED],
        totals.keepalives,
        opened.get(),
        closed.get(),
        active,
        Math.max(0, totals.queued),
        bounds,
        buckets,
        totals.counts[SessionMetrics.HANDLER_NANOS] / 1e9,
        sessions);
  }
}
