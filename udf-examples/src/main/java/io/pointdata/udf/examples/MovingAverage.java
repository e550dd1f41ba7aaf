package io.pointdata.udf.examples;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.GroupState;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.SnapshotFormat;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfException;
import io.pointdata.udf.UdfSpec;
import java.util.Arrays;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kapacitor's own {@code moving_avg} example: the moving average of {@code field} over the last
 * {@code size} points of each group, emitted on every point from the first one.
 *
 * <p>The output is the input point (time, name, group, dimensions, tags and bool fields) with its
 * double, int and string fields replaced by the average in the {@code as} field, as both of
 * Kapacitor's examples make it. The average is updated as the Go example updates it, in the same
 * order of floating-point operations, so the results are identical to the last bit.
 *
 * <p>Unlike the examples, an int {@code field} is averaged as its number, and a point without a
 * numeric {@code field}, or whose value is NaN or infinite (it would turn the group's running
 * average into NaN for good), is dropped and counted instead of being averaged as 0.0. Each group's
 * window is kept in a {@link GroupState} of at most {@value #MAX_GROUPS} groups; the examples keep
 * every group they ever saw.
 */
public final class MovingAverage implements Udf {
  private static final Logger log = LoggerFactory.getLogger(MovingAverage.class);

  /** Groups kept at once; the least recently seen one goes when a new group would exceed it. */
  static final int MAX_GROUPS = 100_000;

  /**
   * Values kept per group at most; a window holds 8 bytes per value it has seen, up to its size.
   */
  static final int MAX_SIZE = 1_000_000;

  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Integer> SIZE =
      Option.ofInt("size").check(n -> n > 0 && n <= MAX_SIZE, "must be between 1 and " + MAX_SIZE);
  static final Option<String> AS =
      Option.ofString("as", "avg").check(s -> !s.isEmpty(), "must not be empty");

  /** Version 1: the window's size, its average, then its values from the oldest. */
  static final SnapshotFormat<Window> WINDOW =
      SnapshotFormat.ofValues(
          1,
          (window, out) ->
              out.putInt(window.size()).putDouble(window.average()).putDoubles(window.values()),
          in -> Window.restored(in.getInt(), in.getDouble(), in.getDoubles()));

  private long in;
  private long dropped;
  private long evicted;
  private final GroupState<Window> windows =
      GroupState.<Window>builder()
          .maxGroups(MAX_GROUPS)
          .onEvict((group, window) -> evicted++)
          .build();
  private String field;
  private int size;
  private String as;

  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().options(FIELD, SIZE, AS).build();
  }

  @Override
  public void init(InitContext context) {
    field = context.get(FIELD);
    size = context.get(SIZE);
    as = context.get(AS);
  }

  @Override
  public void point(Point point, Emitter out) {
    in++;
    OptionalDouble value = point.findDouble(field);
    if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
      dropped++;
      if (dropped == 1) {
        log.warn(
            "dropping points without a finite numeric field '{}' (first: {}); they are counted, not"
                + " averaged",
            field,
            point);
      }
      return;
    }
    long evictedBefore = evicted;
    double average = windows.get(point, group -> new Window(size)).add(value.getAsDouble());
    if (evicted != evictedBefore && Long.bitCount(evicted) == 1) { // at 1, 2, 4, 8, … evictions
      log.warn(
          "{} groups evicted so far: more than {} groups at once; an evicted group starts a new"
              + " average",
          evicted,
          MAX_GROUPS);
    }
    Point.Builder result = point.toBuilder();
    point.doubleFields().keySet().forEach(result::removeField);
    point.intFields().keySet().forEach(result::removeField);
    point.stringFields().keySet().forEach(result::removeField);
    out.emit(result.field(as, average).build());
  }

  @Override
  public byte[] snapshot() {
    return windows.toSnapshot(WINDOW);
  }

  @Override
  public void restore(byte[] snapshot) {
    windows.restore(snapshot, WINDOW);
  }

  @Override
  public void close() {
    if (in == 0) return; // Kapacitor's Info-only connection, or a task that saw no data
    log.info(
        "moving_avg of '{}': {} points in, {} dropped without a finite number, {} groups held, {}"
            + " evicted",
        field,
        in,
        dropped,
        windows.size(),
        evicted);
  }

  /** Points dropped so far without a finite numeric field. */
  long dropped() {
    return dropped;
  }

  /**
   * The last values of one group, oldest first, in a ring, and their running average. The average
   * is updated as Kapacitor's Go example updates it, not recomputed, so that results match its. The
   * ring grows with the values it holds, up to the window's size.
   */
  static final class Window {
    private static final int FIRST_CAPACITY = 16;

    private final int size;
    private double[] ring;

    /** Index of the oldest value; 0 until the window is full. */
    private int start;

    private int count;
    private double average;

    Window(int size) {
      this.size = size;
      this.ring = new double[Math.min(size, FIRST_CAPACITY)];
    }

    /** A window read back from a snapshot. */
    static Window restored(int size, double average, double[] values) {
      if (size < 1 || size > MAX_SIZE)
        throw new UdfException("a window of size " + size + " (1 to " + MAX_SIZE + ")");
      if (values.length > size) {
        throw new UdfException(
            "a window of size " + size + " holding " + values.length + " values");
      }
      Window window = new Window(size);
      window.ring = Arrays.copyOf(values, Math.max(values.length, window.ring.length));
      window.count = values.length;
      window.average = average;
      return window;
    }

    /** Adds a value, dropping the oldest one if the window is full; returns the new average. */
    double add(double value) {
      int l = count;
      if (l == size) {
        average += value / l - ring[start] / l;
        ring[start] = value;
        start = (start + 1) % size;
      } else {
        average = (value + l * average) / (l + 1);
        if (count == ring.length)
          ring = Arrays.copyOf(ring, (int) Math.min(size, 2L * ring.length));
        ring[count++] = value;
      }
      return average;
    }

    int size() {
      return size;
    }

    double average() {
      return average;
    }

    /** The values, oldest first. */
    double[] values() {
      double[] values = new double[count];
      for (int i = 0; i < count; i++) values[i] = ring[(start + i) % ring.length];
      return values;
    }
  }
}
