package io.pointdata.udf.testing;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Test points and batches, written as InfluxDB line protocol or generated as a series.
 *
 * <pre>{@code
 * Point p = TestData.point("cpu,host=a usage=95.0,cores=4i,state=\"busy\",ok=true 1700000000000000000");
 * Batch b = TestData.batch(Map.of("host", "a"), "cpu usage=1.0 1000", "cpu usage=2.0 2000");
 * List<Point> s = TestData.series(Point.named("cpu").tag("host", "a").build(), "usage",
 *     Instant.parse("2024-01-01T00:00:00Z"), Duration.ofSeconds(10), 1.0, 2.0, 3.0);
 * }</pre>
 *
 * <p>Field values follow line protocol: {@code 1.5} and {@code 1} are doubles, {@code 1i} (and
 * {@code 1u}) ints, {@code "text"} strings, {@code t}/{@code true}/{@code F}/{@code false}… bools.
 * A missing timestamp is 0.
 */
public final class TestData {
  private TestData() {}

  /**
   * A stream point from one line of line protocol.
   *
   * @throws IllegalArgumentException naming what is wrong with the line
   */
  public static Point point(String line) {
    return LineProtocol.parse(Objects.requireNonNull(line, "line == null"));
  }

  /** Stream points, one per line. */
  public static List<Point> points(String... lines) {
    List<Point> points = new ArrayList<>();
    for (String line : lines) points.add(point(line));
    return points;
  }

  /**
   * A batch of the lines' points, grouped by the given tags (empty for an ungrouped batch): named
   * after their measurement, tmax the latest point time. Its points carry, as Kapacitor's batch
   * points do, no name of their own.
   *
   * @throws IllegalArgumentException if there are no lines or they name different measurements
   */
  public static Batch batch(Map<String, String> groupTags, String... lines) {
    Objects.requireNonNull(groupTags, "groupTags == null");
    if (lines.length == 0) throw new IllegalArgumentException("a batch needs at least one line");
    List<Point> points = points(lines);
    String name = points.get(0).name();
    Batch.Builder batch = Batch.named(name).tags(groupTags);
    long tmax = Long.MIN_VALUE;
    for (Point p : points) {
      if (!p.name().equals(name)) {
        throw new IllegalArgumentException(
            "a batch has one measurement; got '" + name + "' and '" + p.name() + "'");
      }
      batch.point(p.toBuilder().name("").build());
      tmax = Math.max(tmax, p.time());
    }
    return batch.tmax(tmax).build();
  }

  /**
   * Points like the template, one per value of a double field, {@code step} apart from {@code
   * start}.
   */
  public static List<Point> series(
      Point template, String field, Instant start, Duration step, double... values) {
    Objects.requireNonNull(template, "template == null");
    Objects.requireNonNull(field, "field == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(step, "step == null");
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      points.add(
          template.toBuilder()
              .time(start.plus(step.multipliedBy(i)))
              .field(field, values[i])
              .build());
    }
    return points;
  }
}
