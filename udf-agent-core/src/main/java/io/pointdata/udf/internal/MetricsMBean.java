package io.pointdata.udf.internal;

import io.pointdata.udf.UdfMetrics;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDF's metrics registered with the platform MBean server as {@code
 * io.pointdata.udf:type=Udf,name="NAME"}, for jconsole, jcmd or Jolokia. Each attribute read sums
 * the sessions afresh. Safe to close more than once.
 */
public final class MetricsMBean implements UdfMetricsMXBean, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsMBean.class);

  private final MetricsRegistry registry;
  private final ObjectName name;
  private boolean registered;

  private MetricsMBean(MetricsRegistry registry, ObjectName name) {
    this.registry = registry;
    this.name = name;
  }

  /** The object name a UDF's metrics are registered under. */
  public static ObjectName objectName(String udf) throws JMException {
    return new ObjectName("io.pointdata.udf:type=Udf,name=" + ObjectName.quote(udf));
  }

  /**
   * Registers the metrics; if that fails (say, another server of the same name), logs why and goes
   * on.
   */
  public static MetricsMBean register(MetricsRegistry registry) {
    MetricsMBean bean = null;
    try {
      bean = new MetricsMBean(registry, objectName(registry.udf()));
      ManagementFactory.getPlatformMBeanServer().registerMBean(bean, bean.name);
      bean.registered = true;
    } catch (JMException | RuntimeException e) {
      log.warn("metrics of UDF '{}' are not registered with JMX: {}", registry.udf(), e.toString());
    }
    return bean;
  }

  @Override
  public synchronized void close() {
    if (!registered) return;
    registered = false;
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      server.unregisterMBean(name);
    } catch (JMException e) {
      log.debug("unregistering {}: {}", name, e.toString());
    }
  }

  private UdfMetrics now() {
    return registry.snapshot();
  }

  @Override
  public String getUdf() {
    return registry.udf();
  }

  @Override
  public long getPointsReceived() {
    return now().pointsReceived();
  }

  @Override
  public long getPointsEmitted() {
    return now().pointsEmitted();
  }

  @Override
  public long getBatchesReceived() {
    return now().batchesReceived();
  }

  @Override
  public long getBatchesEmitted() {
    return now().batchesEmitted();
  }

  @Override
  public Map<String, Long> getRequests() {
    return now().requests();
  }

  @Override
  public Map<String, Long> getErrors() {
    return now().errors();
  }

  @Override
  public long getDropped() {
    return now().dropped();
  }

  @Override
  public long getKeepalives() {
    return now().keepalives();
  }

  @Override
  public long getSessionsOpened() {
    return now().sessionsOpened();
  }

  @Override
  public long getSessionsClosed() {
    return now().sessionsClosed();
  }

  @Override
  public long getSessionsActive() {
    return registry.activeSessions();
  }

  @Override
  public long getQueueDepth() {
    return now().queueDepth();
  }

  @Override
  public long getHandlerCalls() {
    return now().handlerCalls();
  }

  @Override
  public double getHandlerSeconds() {
    return now().handlerSeconds();
  }

  @Override
  public String[] getOpenSessions() {
    return now().openSessions().stream()
        .map(
            s ->
                s.id()
                    + " task="
                    + s.task()
                    + " node="
                    + s.node()
                    + " received="
                    + s.pointsReceived()
                    + " emitted="
                    + s.pointsEmitted()
                    + " dropped="
                    + s.dropped()
                    + " errors="
                    + s.errors())
        .toArray(String[]::new);
  }
}
