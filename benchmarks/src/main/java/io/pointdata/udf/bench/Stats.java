package io.pointdata.udf.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles. */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    if (values.isEmpty()) throw new IllegalArgumentException("no values");
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The value at quantile {@code q} (0..1) of the first {@code n} values; sorts them in place. */
  static long percentile(long[] values, int n, double q) {
    if (n == 0) throw new IllegalArgumentException("no values");
    Arrays.sort(values, 0, n);
    int index = (int) Math.ceil(q * n) - 1;
    return values[Math.max(0, Math.min(n - 1, index))];
  }
}
