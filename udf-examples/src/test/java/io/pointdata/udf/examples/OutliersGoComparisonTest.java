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
 * as the module README says: against a line-by-line port of the Go example's {@code bounds} and
 * {@code median}, run on distinct random values of every count from 0 to 40.
 */
class OutliersGoComparisonTest {
  private static final double SCALE = 1.5;

  /** The Go example's median: for an even length it takes data[m] and data[m + 1]. */
  private static double[] goMedian(double[] data) {
    int l = data.length;
    int m = l / 2;
    if (l % 2 == 0) {
      int left = m;
      int right = m + 1;
      return new double[] {left, right, (data[left] + data[right]) / 2.0};
    }
    return new double[] {m, m, data[m]};
  }

  /** The Go example's bounds: {lower, upper}. An index past the end is its panic. */
  private static double[] goBounds(double[] sorted) {
    double[] whole = goMedian(sorted);
    int ml = (int) whole[0];
    int mr = (int) whole[1];
    double fq = goMedian(Arrays.copyOfRange(sorted, 0, mr))[2];
    double tq = goMedian(Arrays.copyOfRange(sorted, ml + 1, sorted.length))[2];
    double iqr = tq - fq;
    return new double[] {fq - iqr * SCALE, tq + iqr * SCALE};
  }

  private static double[] distinctSorted(int n, Random random) {
    double[] values = random.doubles(n).map(v -> Math.floor(v * 1e6)).distinct().toArray();
    while (values.length < n) values = random.doubles(n).map(v -> Math.floor(v * 1e6)).distinct().toArray();
    Arrays.sort(values);
    return values;
  }

  @Test
  void sameFencesAtFourKPlusThreeValues() {
    Random random = new Random(15);
    for (int n = 3; n <= 40; n += 4) {
      double[] sorted = distinctSorted(n, random);
      Fences ours = Fences.of(sorted, SCALE).orElseThrow();
      double[] go = goBounds(sorted);
      assertEquals(go[0], ours.lower(), "lower fence at " + n);
      assertEquals(go[1], ours.upper(), "upper fence at " + n);
    }
  }

  @Test
  void goExampleFailsAtZeroOneTwoFiveAndSixValues() {
    Random random = new Random(15);
    for (int n : new int[] {0, 1, 2, 5, 6}) {
      double[] sorted = distinctSorted(n, random);
      assertThrows(ArrayIndexOutOfBoundsException.class, () -> goBounds(sorted), "at " + n);
    }
  }

  @Test
  void otherFencesAtEveryOtherCountFromFourUp() {
    Random random = new Random(15);
    for (int n = 4; n <= 40; n++) {
      if (n % 4 == 3 || n == 5 || n == 6) continue;
      double[] sorted = distinctSorted(n, random);
      Fences ours = Fences.of(sorted, SCALE).orElseThrow();
      double[] go = goBounds(sorted);
      assertNotEquals(go[0], ours.lower(), "lower fence at " + n);
    }
  }
}
