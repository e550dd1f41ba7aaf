package io.pointdata.udf.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pointdata.udf.UdfMetrics;
import io.pointdata.udf.UdfServer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds a socket UDF's metrics to a Micrometer registry, under the names the agent's own Prometheus
 * endpoint uses ({@code udf.points.received} becomes {@code udf_points_received_total} in a
 * Prometheus registry), each tagged with {@code udf}.
 *
 * <pre>{@code
 * UdfServer server = UdfServer.builder(path).udf(Threshold::new).build().start();
 * new UdfMetricsBinder(server).bindTo(registry);
 * }</pre>
 *
 * <p>Each meter reads the server's counts when the registry reads it: nothing is added to the
 * agent's hot path. The handler durations are a {@link FunctionTimer} (count and total time); the
 * agent's own buckets are served by its Prometheus endpoint.
 */
public final class UdfMetricsBinder implements MeterBinder {
  private static final String[] REQUEST_KINDS = {
    "info", "init", "keepalive", "snapshot", "restore", "begin", "point", "end", "unknown"
  };
  private static final String[] ERROR_KINDS = {"handler", "deadline", "read", "write", "refused"};

  private final Supplier<UdfMetrics> metrics;
  private final String udf;

  /** Binds this server's metrics. */
  public UdfMetricsBinder(UdfServer server) {
    this(Objects.requireNonNull(server, "server == null")::metrics);
  }

  /** Binds the metrics this supplier gives, read afresh each time a meter is read. */
  public UdfMetricsBinder(Supplier<UdfMetrics> metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.udf = metrics.get().udf();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry,
        "udf.points.received",
        "Points received from Kapacitor",
        UdfMetrics::pointsReceived);
    counter(registry, "udf.points.emitted", "Points sent to Kapacitor", UdfMetrics::pointsEmitted);
    counter(
        registry,
        "udf.batches.received",
        "Batches received from Kapacitor",
        UdfMetrics::batchesReceived);
    counter(
        registry, "udf.batches.emitted", "Batches sent to Kapacitor", UdfMetrics::batchesEmitted);
    counter(
        registry, "udf.dropped", "Inputs dropped under OnError.DROP_AND_LOG", UdfMetrics::dropped);
    counter(registry, "udf.keepalives", "Keepalives answered", UdfMetrics::keepalives);
    counter(registry, "udf.sessions.opened", "Sessions started", UdfMetrics::sessionsOpened);
    counter(registry, "udf.sessions.closed", "Sessions ended", UdfMetrics::sessionsClosed);
    for (String kind : REQUEST_KINDS) {
      FunctionCounter.builder(
              "udf.requests", this, b -> b.read(m -> m.requests().getOrDefault(kind, 0L)))
          .description("Requests received, by kind")
          .tags("udf", udf, "kind", kind)
          .register(registry);
    }
    for (String kind : ERROR_KINDS) {
      FunctionCounter.builder(
              "udf.errors", this, b -> b.read(m -> m.errors().getOrDefault(kind, 0L)))
          .description("Errors, by kind")
          .tags("udf", udf, "kind", kind)
          .register(registry);
    }
    // Function counters and timers hold their object weakly; this gauge holds the binder strongly,
    // so
    // the registry keeps it (and so them) alive even when the caller drops it.
    Gauge.builder("udf.sessions.active", this, b -> b.read(UdfMetrics::sessionsActive))
        .description("Sessions open now")
        .tags("udf", udf)
        .strongReference(true)
        .register(registry);
    Gauge.builder("udf.queue.depth", this, b -> b.read(UdfMetrics::queueDepth))
        .description("Requests read and waiting for their session's handler")
        .tags("udf", udf)
        .strongReference(true)
        .register(registry);
    FunctionTimer.builder(
            "udf.handler",
            this,
            b -> b.metrics.get().handlerCalls(),
            b -> b.metrics.get().handlerSeconds(),
            TimeUnit.SECONDS)
        .description("Time per data request on the handler thread")
        .tags("udf", udf)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToDoubleFunction<UdfMetrics> count) {
    FunctionCounter.builder(name, this, b -> b.read(count))
        .description(description)
        .tags("udf", udf)
        .register(registry);
  }

  private double read(ToDoubleFunction<UdfMetrics> value) {
    return value.applyAsDouble(metrics.get());
  }
}
