package io.pointdata.udf.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pointdata.udf.UdfMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UdfMetricsBinderTest {
  private static UdfMetrics metrics(long received, long emitted, long handlerErrors) {
    return new UdfMetrics(
        "temperature",
        received,
        2,
        emitted,
        1,
        Map.of("point", received, "init", 1L),
        Map.of("handler", handlerErrors, "refused", 0L),
        4,
        5,
        6,
        5,
        1,
        7,
        List.of(1e-6),
        List.of(received - 1, 1L),
        0.25,
        List.of());
  }

  @Test
  void metersReadTheCurrentCountsEachTimeTheyAreRead() {
    AtomicReference<UdfMetrics> now = new AtomicReference<>(metrics(10, 3, 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new UdfMetricsBinder(now::get).bindTo(registry);

    assertEquals(
        10,
        registry.get("udf.points.received").tag("udf", "temperature").functionCounter().count());
    assertEquals(3, registry.get("udf.points.emitted").functionCounter().count());
    assertEquals(2, registry.get("udf.batches.received").functionCounter().count());
    assertEquals(1, registry.get("udf.batches.emitted").functionCounter().count());
    assertEquals(4, registry.get("udf.dropped").functionCounter().count());
    assertEquals(5, registry.get("udf.keepalives").functionCounter().count());
    assertEquals(1, registry.get("udf.sessions.active").gauge().value());
    assertEquals(7, registry.get("udf.queue.depth").gauge().value());
    assertEquals(10, registry.get("udf.requests").tag("kind", "point").functionCounter().count());
    assertEquals(0, registry.get("udf.requests").tag("kind", "end").functionCounter().count());

    now.set(metrics(20, 4, 2));
    assertEquals(20, registry.get("udf.points.received").functionCounter().count());
    assertEquals(2, registry.get("udf.errors").tag("kind", "handler").functionCounter().count());
    FunctionTimer handler = registry.get("udf.handler").functionTimer();
    assertEquals(20, handler.count());
    assertEquals(250, handler.totalTime(TimeUnit.MILLISECONDS), 1e-9);
  }
}
