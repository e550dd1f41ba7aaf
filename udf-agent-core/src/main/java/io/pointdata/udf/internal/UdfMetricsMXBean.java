package io.pointdata.udf.internal;

import java.util.Map;

/**
 * A UDF's metrics as JMX attributes (see {@link io.pointdata.udf.UdfMetrics} for each one's
 * meaning).
 */
public interface UdfMetricsMXBean {
  String getUdf();

  long getPointsReceived();

  long getPointsEmitted();

  long getBatchesReceived();

  long getBatchesEmitted();

  Map<String, Long> getRequests();

  Map<String, Long> getErrors();

  long getDropped();

  long getKeepalives();

  long getSessionsOpened();

  long getSessionsClosed();

  long getSessionsActive();

  long getQueueDepth();

  long getHandlerCalls();

  double getHandlerSeconds();

  /** One line per open session: its name, task, node and counts. */
  String[] getOpenSessions();
}
