package io.pointdata.udf.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of a process UDF's one session: a summary line logged at its end (if Init started a
 * task) and, if asked, every so often meanwhile; JMX if asked. Safe to close more than once.
 */
public final class ProcessMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessMetrics.class);

  /** Logs the summary every this often meanwhile, e.g. {@code -Dudf.metricsSummaryEvery=5m}. */
  public static final String SUMMARY_EVERY_PROPERTY = "udf.metricsSummaryEvery";

  /** Registers the metrics with JMX: {@code -Dudf.jmx=true}. */
  public static final String JMX_PROPERTY = "udf.jmx";

  /** The UDF's name in the metrics: {@code -Dudf.name=temperature}. */
  public static final String NAME_PROPERTY = "udf.name";

  private final MetricsRegistry registry;
  private final SessionMetrics session;
  private final ScheduledFuture<?> periodic;
  private final MetricsMBean jmx;
  private boolean closed;

  private ProcessMetrics(String udf, Duration every, boolean jmx) {
    this.registry = new MetricsRegistry(udf);
    this.session = registry.open("stdio");
    this.periodic = every == null ? null : SessionTimers.every(every, this::logPeriodically);
    this.jmx = jmx ? MetricsMBean.register(registry) : null;
  }

  /**
   * Metrics as the system properties ask.
   *
   * @param defaultName the UDF's name unless {@code -Dudf.name} gives one
   * @throws IllegalArgumentException if {@code -Dudf.metricsSummaryEvery} is not a positive
   *     duration
   */
  public static ProcessMetrics fromSystemProperties(String defaultName) {
    String name =
        System.getProperty(NAME_PROPERTY, "").isBlank()
            ? defaultName
            : System.getProperty(NAME_PROPERTY).trim();
    return new ProcessMetrics(name, summaryEvery(), Boolean.getBoolean(JMX_PROPERTY));
  }

  private static Duration summaryEvery() {
    String value = System.getProperty(SUMMARY_EVERY_PROPERTY);
    if (value == null || value.isBlank()) return null;
    Duration every;
    try {
      every = Durations.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-D" + SUMMARY_EVERY_PROPERTY + ": " + e.getMessage(), e);
    }
    if (every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException(
          "-D" + SUMMARY_EVERY_PROPERTY + " must be positive: " + value);
    }
    return every;
  }

  /** Where the session counts. */
  public SessionMetrics session() {
    return session;
  }

  /** Under this object's lock, so that no periodic line can come after the last one. */
  private synchronized void logPeriodically() {
    if (!closed) logSummary();
  }

  private void logSummary() {
    try {
      log.info(MetricsSummary.line(registry.snapshot()));
    } catch (Throwable e) { // on the shared timers' thread: never let it die
      log.warn("could not log the metrics summary: {}", e.toString());
    }
  }

  /** Stops the periodic line and logs the last one, for a session that ran a task. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (periodic != null) periodic.cancel(false);
    if (registry.snapshot().requests().getOrDefault("init", 0L) > 0) logSummary();
    registry.close(session);
    if (jmx != null) jmx.close();
  }
}
