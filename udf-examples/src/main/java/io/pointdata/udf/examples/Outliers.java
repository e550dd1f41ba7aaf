package io.pointdata.udf.examples;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kapacitor's own {@code outliers} example: per batch, the points whose {@code field} lies outside
 * Tukey's fences, {@code Q1 - scale × IQR} and {@code Q3 + scale × IQR}, emitted as one batch.
 *
 * <p>The output batch has the input batch's name, group, tags, byName and tmax, and holds the
 * outliers as Kapacitor sent them, ordered as the Go example orders them: by value, the low ones
 * first. A batch without outliers gives an empty batch (BeginBatch of size 0, EndBatch), as the Go
 * example does.
 *
 * <p>The quartiles are the medians of the lower and upper halves of the sorted values, the overall
 * median left out when their count is odd (Moore and McCabe's method), as the Go example means
 * them. Where a half has an even length the Go example takes one value past the middle, and it
 * fails on batches of 0, 1, 2, 5 and 6 values; here the median is the mean of the two middle
 * values, and fewer than two values have no fences and no outliers. Unlike the example, an int
 * {@code field} is read as its number and a point without a finite numeric {@code field} is left
 * out of the quartiles and of the output, and counted, instead of being ranked as 0.0.
 */
public final class Outliers implements Udf {
  private static final Logger log = LoggerFactory.getLogger(Outliers.class);

  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Double> SCALE =
      Option.ofDouble("scale", 1.5).check(s -> s >= 1.0, "must be at least 1.0");

  private static final Comparator<Entry> BY_VALUE = (a, b) -> Double.compare(a.value, b.value);

  private String field;
  private double scale;
  private long batches;
  private long in;
  private long out;
  private long dropped;

  @Override
  public UdfSpec spec() {
    return UdfSpec.batch().options(FIELD, SCALE).build();
  }

  @Override
  public void init(InitContext context) {
    field = context.get(FIELD);
    scale = context.get(SCALE);
  }

  @Override
  public void batch(Batch batch, Emitter emitter) {
    batches++;
    List<Entry> entries = new ArrayList<>(batch.size());
    for (Point point : batch.points()) {
      in++;
      OptionalDouble value = point.findDouble(field);
      if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
        entries.add(new Entry(value.getAsDouble(), point));
      } else if (++dropped == 1) {
        log.warn(
            "leaving out points without a finite numeric field '{}' (first: {}); they are counted",
            field,
            point);
      }
    }
    entries.sort(BY_VALUE); // stable: equal values keep the batch's order
    Batch.Builder result = batch.toBuilder().clearPoints();
    Fences.of(entries.stream().mapToDouble(Entry::value).toArray(), scale)
        .ifPresent(
            fences -> {
              for (Entry e : entries) {
                if (fences.excludes(e.value)) result.point(e.point);
              }
            });
    Batch outliers = result.build();
    out += outliers.size();
    emitter.emit(outliers);
  }

  @Override
  public void close() {
    if (batches == 0) return; // Kapacitor's Info-only connection, or a task that saw no data
    log.info(
        "outliers of '{}': {} batches, {} points in, {} outliers out, {} left out without a finite"
            + " number",
        field,
        batches,
        in,
        out,
        dropped);
  }

  /** Points left out so far without a finite numeric field. */
  long dropped() {
    return dropped;
  }

  private record Entry(double value, Point point) {}

  /**
   * Tukey's fences of sorted values.
   *
   * @param q1 the first quartile: the median of the lower half
   * @param q3 the third quartile: the median of the upper half
   * @param lower {@code q1 - iqr * scale}; a value below it is an outlier
   * @param upper {@code q3 + iqr * scale}; a value above it is an outlier
   */
  record Fences(double q1, double q3, double lower, double upper) {
    /** The fences of ascending values; none for fewer than two, whose halves are empty. */
    static Optional<Fences> of(double[] sorted, double scale) {
      int n = sorted.length;
      int half = n / 2; // an odd count leaves the overall median out of both halves
      if (half == 0) return Optional.empty();
      double q1 = median(sorted, 0, half);
      double q3 = median(sorted, n - half, half);
      double iqr = q3 - q1;
      // The Go example's expressions, so that equal quartiles give equal fences to the last bit.
      return Optional.of(new Fences(q1, q3, q1 - iqr * scale, q3 + iqr * scale));
    }

    boolean excludes(double value) {
      return value < lower || value > upper;
    }

    /** The median of {@code length > 0} ascending values from {@code from}. */
    private static double median(double[] sorted, int from, int length) {
      int middle = from + length / 2;
      return length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
  }
}
