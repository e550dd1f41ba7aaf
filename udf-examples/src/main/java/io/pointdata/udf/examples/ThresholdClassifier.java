package io.pointdata.udf.examples;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfException;
import io.pointdata.udf.UdfSpec;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the anomalies of a stream: points whose {@code field} is below {@code min} or above
 * {@code max}, both strict; drops the rest.
 *
 * <p>Two presets port EII's classifiers: {@link #temperature()} forwards {@code temperature < 20 or
 * > 25}, {@link #humidity()} forwards {@code humidity > 25}. A forwarded point is the input point,
 * unchanged (name, database, retention policy, group, dimensions, tags, all fields), so Kapacitor
 * routes and groups it as before.
 *
 * <p>Unlike the Python originals, an int field is compared as its number, and a point without the
 * field (or with a non-numeric one) is dropped and counted instead of being forwarded with a
 * made-up {@code 0.0}. NaN is dropped, as both comparisons are false; ±Infinity is compared as a
 * number.
 */
public final class ThresholdClassifier implements Udf {
  private static final Logger log = LoggerFactory.getLogger(ThresholdClassifier.class);

  static final Option<String> FIELD_TEMPERATURE = Option.ofString("field", "temperature");
  static final Option<Double> MIN_TEMPERATURE = Option.ofDouble("min", 20.0);
  static final Option<String> FIELD_HUMIDITY = Option.ofString("field", "humidity");

  /** Humidity has no lower bound unless the TICKscript sets one. */
  static final Option<Double> MIN_UNSET = Option.ofDouble("min").optional();

  static final Option<Double> MAX = Option.ofDouble("max", 25.0);

  private final Option<String> fieldOption;
  private final Option<Double> minOption;
  private final UdfSpec spec;

  private String field;
  private double min;
  private double max;
  private final Counts counts = new Counts();

  private ThresholdClassifier(Option<String> field, Option<Double> min) {
    this.fieldOption = field;
    this.minOption = min;
    this.spec = UdfSpec.stream().options(field, min, MAX).build();
  }

  /** EII's temperature classifier: forwards points with {@code temperature < 20.0 or > 25.0}. */
  public static ThresholdClassifier temperature() {
    return new ThresholdClassifier(FIELD_TEMPERATURE, MIN_TEMPERATURE);
  }

  /** EII's humidity classifier: forwards points with {@code humidity > 25.0}. */
  public static ThresholdClassifier humidity() {
    return new ThresholdClassifier(FIELD_HUMIDITY, MIN_UNSET);
  }

  @Override
  public UdfSpec spec() {
    return spec;
  }

  @Override
  public void init(InitContext context) {
    field = context.get(fieldOption);
    min = context.find(minOption).orElse(Double.NEGATIVE_INFINITY);
    max = context.get(MAX);
    if (min > max) {
      throw new UdfException("option 'min' (" + min + ") must not be above 'max' (" + max + ")");
    }
  }

  @Override
  public void point(Point point, Emitter out) {
    counts.in++;
    OptionalDouble value = point.findDouble(field);
    if (value.isEmpty()) {
      counts.withoutField++;
      if (counts.withoutField == 1) {
        log.warn(
            "dropping points without a numeric field '{}' (first: {}); they are counted, not"
                + " forwarded",
            field,
            point);
      }
      return;
    }
    double v = value.getAsDouble();
    if (v < min || v > max) {
      counts.forwarded++;
      out.emit(point);
    }
  }

  @Override
  public void close() {
    if (counts.in == 0) return; // Kapacitor's Info-only connection, or a task that saw no data
    log.info(
        "threshold on '{}': {} points in, {} forwarded, {} dropped without the field",
        field,
        counts.in,
        counts.forwarded,
        counts.withoutField);
  }

  /** What this instance has seen so far. */
  Counts counts() {
    return counts;
  }

  /** Point counts of one connection; written by its handler thread only, readable from any. */
  static final class Counts {
    volatile long in;
    volatile long forwarded;
    volatile long withoutField;
  }
}
