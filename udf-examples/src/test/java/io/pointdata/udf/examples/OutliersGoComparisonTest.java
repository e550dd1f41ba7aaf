package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointdata.udf.examples.Outliers.Fences;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where {@link Outliers}' fences agree with those of Kapacitor's Go example and where they differ,
 * as the module README says: against a model of the Go example's quartiles, run on distinct random
 * values of every count from 0 to 40.
 */
class OutliersGoComparisonTest {
  private static final double SCALE = 1.5;

  /**
   * The Go example's quartile rule: the median of an odd count is its middle value; of an even
   * count n, the mean of the values at n/2 and n/2 + 1 (0-based), one place past the middle pair;
   * the lower half ends after the right one of the overall median's two positions, the upper half
   * starts after the left one. An index past the end throws, as the Go example panics.
   */
  private static double[] goModelFences(double[] sorted) {
    int n = sorted.length;
    int leftOfMedian = n / 2;
    int rightOfMedian = n % 2 == 0 ? n / 2 + 1 : n / 2;
    if (n % 2 == 0) checkIndex(rightOfMedian, n);
    double q1 = goModelMedian(Arrays.copyOfRange(sorted, 0, rightOfMedian));
    double q3 = goModelMedian(Arrays.copyOfRange(sorted, leftOfMedian + 1, n));
    double iqr = q3 - q1;
    return new double[] {q1 - iqr * SCALE, q3 + iqr * SCALE};
  }

  private static double goModelMedian(double[] values) {
    int middle = values.length / 2;
    if (values.length % 2 == 1) return values[middle];
    checkIndex(middle + 1, values.length);
    return (values[middle] + values[middle + 1]) / 2.0;
  }

  private static void checkIndex(int index, int length) {
    if (index >= length)
      throw new ArrayIndexOutOfBoundsException("index " + index + " of " + length + " values");
  }

  private static double[] distinctSorted(int n, Random random) {
    double[] values = random.doubles(n).map(v -> Math.floor(v * 1e6)).distinct().toArray();
    while (values.length < n)
      values = random.doubles(n).map(v -> Math.floor(v * 1e6)).distinct().toArray();
    Arrays.sort(values);
    return values;
  }

  @Test
  void sameFencesAtFourKPlusThreeValues() {
    Random random = new Random(15);
    for (int n = 3; n <= 40; n += 4) {
      double[] sorted = distinctSorted(n, random);
      Fences ours = Fences.of(sorted, SCALE).orElseThrow();
      double[] go = goModelFences(sorted);
      assertEquals(go[0], ours.lower(), "lower fence at " + n);
      assertEquals(go[1], ours.upper(), "upper fence at " + n);
    }
  }

  @Test
  void goExampleFailsAtZeroOneTwoFiveAndSixValues() {
    Random random = new Random(15);
    for (int n : new int[] {0, 1, 2, 5, 6}) {
      double[] sorted = distinctSorted(n, random);
      assertThrows(ArrayIndexOutOfBoundsException.class, () -> goModelFences(sorted), "at " + n);
    }
  }

  @Test
  void otherFencesAtEveryOtherCountFromFourUp() {
    Random random = new Random(15);
    for (int n = 4; n <= 40; n++) {
      if (n % 4 == 3 || n == 5 || n == 6) continue;
      double[] sorted = distinctSorted(n, random);
      Fences ours = Fences.of(sorted, SCALE).orElseThrow();
      double[] go = goModelFences(sorted);
      assertNotEquals(go[0], ours.lower(), "lower fence at " + n);
    }
  }
}
