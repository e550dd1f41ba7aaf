package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.UdfMetrics;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request.MessageCase;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
  private static final UdfProto.Response POINT =
      UdfProto.Response.newBuilder().setPoint(UdfProto.Point.getDefaultInstance()).build();

  @Test
  void anEndedSessionsCountsStayInTheTotals() {
    MetricsRegistry registry = new MetricsRegistry("u");
    SessionMetrics first = registry.open("s-1");
    SessionMetrics second = registry.open("s-2");
    first.received(MessageCase.POINT);
    first.received(MessageCase.POINT);
    first.emitted(POINT);
    second.received(MessageCase.POINT);
    second.dropped();
    registry.close(first);
    registry.close(first); // twice: counted once

    UdfMetrics m = registry.snapshot();
    assertEquals(3, m.pointsReceived());
    assertEquals(1, m.pointsEmitted());
    assertEquals(1, m.dropped());
    assertEquals(2, m.sessionsOpened());
    assertEquals(1, m.sessionsClosed());
    assertEquals(1, m.sessionsActive());
    assertEquals(
        List.of("s-2"), m.openSessions().stream().map(UdfMetrics.OpenSession::id).toList());
  }

  @Test
  void handledDataRequestsFillTheHistogramAndOthersDoNot() {
    MetricsRegistry registry = new MetricsRegistry("u");
    SessionMetrics session = registry.open("s-1");
    long start = System.nanoTime();
    long next = session.handled(MessageCase.INIT, start);
    next = session.handled(MessageCase.BEGIN, next);
    next = session.handled(MessageCase.POINT, next);
    long end = session.handled(MessageCase.END, next);

    UdfMetrics m = registry.snapshot();
    assertEquals(3, m.handlerCalls());
    assertTrue(
        m.handlerSeconds() >= 0 && m.handlerSeconds() <= (end - start) / 1e9,
        () -> "" + m.handlerSeconds());
  }

  @Test
  void queueDepthFollowsHandOffsAndAnAbortedSessionLeavesNone() {
    MetricsRegistry registry = new MetricsRegistry("u");
    SessionMetrics session = registry.open("s-1");
    session.queued(64);
    session.queued(10);
    session.dequeued(64);
    assertEquals(10, registry.snapshot().queueDepth());
    registry.close(session);
    assertEquals(0, registry.snapshot().queueDepth());
  }

  @Test
  void errorsAreCountedByKindWithRefusalsFromTheServer() {
    MetricsRegistry registry = new MetricsRegistry("u");
    SessionMetrics session = registry.open("s-1");
    session.error(ErrorKind.DEADLINE);
    session.error(ErrorKind.READ);
    registry.refused();
    UdfMetrics m = registry.snapshot();
    assertEquals(1, m.errors().get("deadline"));
    assertEquals(1, m.errors().get("read"));
    assertEquals(1, m.errors().get("refused"));
    assertEquals(0, m.errors().get("handler"));
    assertEquals(3, m.errorsTotal());
  }

  @Test
  void aDurationFallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
    assertEquals(0, DurationHistogram.bucket(0));
    assertEquals(0, DurationHistogram.bucket(1_000));
    assertEquals(1, DurationHistogram.bucket(1_001));
    assertEquals(DurationHistogram.BUCKETS - 1, DurationHistogram.bucket(Long.MAX_VALUE));
  }

  @Test
  void prometheusTextEscapesLabelsAndMakesBucketsCumulative() {
    MetricsRegistry registry = new MetricsRegistry("a\"b\\c\nd");
    SessionMetrics session = registry.open("s-1");
    session.handled(
        MessageCase.POINT, System.nanoTime() - 2_000); // at least 2 µs: not the first bucket
    String text = PrometheusText.format(registry.snapshot());
    String udf = "udf=\"a\\\"b\\\\c\\nd\"";
    assertTrue(text.contains("udf_points_received_total{" + udf + "} 0\n"), text);
    assertTrue(text.contains("udf_handler_seconds_bucket{" + udf + ",le=\"1.0E-6\"} 0\n"), text);
    assertTrue(text.contains("udf_handler_seconds_bucket{" + udf + ",le=\"10.0\"} 1\n"), text);
    assertTrue(text.contains("udf_handler_seconds_count{" + udf + "} 1\n"), text);
  }

  @Test
  void theSummaryLineNamesTheTaskAndEveryCount() {
    MetricsRegistry registry = new MetricsRegistry("temperature");
    SessionMetrics session = registry.open("stdio");
    session.named("cpu_alert", "udf2");
    session.received(MessageCase.POINT);
    session.emitted(POINT);
    session.error(ErrorKind.HANDLER);
    assertEquals(
        "UDF 'temperature' task=cpu_alert node=udf2 metrics: points received 1, emitted 1; batches"
            + " received 0, emitted 0; dropped 0; errors 1 (handler=1); keepalives 0; handler calls"
            + " 0",
        MetricsSummary.line(registry.snapshot()));
  }
}
