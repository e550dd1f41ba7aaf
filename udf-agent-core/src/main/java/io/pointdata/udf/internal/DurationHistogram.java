package io.pointdata.udf.internal;

/**
 * The fixed buckets of handler call durations. An observation is a short search of the bounds and
 * two counter increments: nothing is computed per call beyond that, and nothing is allocated.
 */
final class DurationHistogram {
  /** Upper bounds of the buckets, in nanoseconds; a last bucket holds everything above them. */
  static final long[] BOUNDS_NANOS = {
    1_000L, 5_000L, 10_000L, 50_000L, 100_000L, 500_000L,
    1_000_000L, 5_000_000L, 10_000_000L, 50_000_000L, 100_000_000L, 500_000_000L,
    1_000_000_000L, 5_000_000_000L, 10_000_000_000L,
  };

  /** Buckets, the last one unbounded. */
  static final int BUCKETS = BOUNDS_NANOS.length + 1;

  private DurationHistogram() {}

  /** The bucket a duration falls in: the first whose bound it does not exceed. */
  static int bucket(long nanos) {
    int i = 0;
    while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
    return i;
  }
}
