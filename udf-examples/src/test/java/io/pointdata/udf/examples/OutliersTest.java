package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.examples.Outliers.Fences;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Outliers}: Kapacitor's outliers example, against fences computed by hand. */
class OutliersTest {
  private static final long T0 = 1_704_067_200_000_000_000L;

  /** The instance of the latest session: the task's, after Kapacitor's start-up one. */
  private static final AtomicReference<Outliers> latest = new AtomicReference<>();

  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(
          () -> {
            Outliers udf = new Outliers();
            latest.set(udf);
            return udf;
          });

  /** A window of host a's points, one a second, with these values of {@code value}. */
  static Batch window(double... values) {
    Batch.Builder batch = Batch.named("cpu").tag("host", "a").tmax(T0 + 60_000_000_000L);
    for (int i = 0; i < values.length; i++) {
      batch.point(
          Point.builder()
              .tag("host", "a")
              .time(T0 + i * 1_000_000_000L)
              .field("value", values[i])
              .build());
    }
    return batch.build();
  }

  static List<Double> values(Batch batch) {
    return batch.points().stream().map(p -> p.doubleField("value")).toList();
  }

  static Fences fences(double scale, double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return Fences.of(sorted, scale).orElseThrow();
  }

  @Test
  void fencesOfAnOddCountLeaveTheMedianOutOfBothHalves() {
    // 1 2 3 4 | 5 | 6 7 8 100: Q1 = (2+3)/2, Q3 = (7+8)/2, IQR 5, fences 2.5 - 7.5 and 7.5 + 7.5.
    assertEquals(new Fences(2.5, 7.5, -5.0, 15.0), fences(1.5, 5, 3, 100, 1, 8, 2, 7, 4, 6));
    // 1 2 3 | 4 | 5 6 7: Q1 = 2, Q3 = 6 (the case where Kapacitor's Go example indexes right).
    assertEquals(new Fences(2, 6, -4, 12), fences(1.5, 1, 2, 3, 4, 5, 6, 7));
  }

  @Test
  void fencesOfAnEvenCountSplitIntoTwoHalves() {
    // 1 2 | 3 4: Q1 = 1.5, Q3 = 3.5 (Kapacitor's Go example takes 2 and 4).
    assertEquals(new Fences(1.5, 3.5, -1.5, 6.5), fences(1.5, 4, 3, 2, 1));
    // -50 1 2 3 4 | 5 6 7 8 100: Q1 = 2, Q3 = 7, IQR 5; scale 2: fences -8 and 17.
    assertEquals(new Fences(2, 7, -8, 17), fences(2.0, -50, 1, 2, 3, 4, 5, 6, 7, 8, 100));
  }

  @Test
  void fencesOfTwoValuesAreTheValuesWidenedAndOneValueHasNone() {
    assertEquals(new Fences(1, 3, -2, 6), fences(1.5, 3, 1));
    assertEquals(Optional.empty(), Fences.of(new double[] {7}, 1.5));
    assertEquals(Optional.empty(), Fences.of(new double[0], 1.5));
  }

  @Test
  void emitsTheOutliersAsOneBatchWithTheInputsNameGroupTagsAndTmax(FakeKapacitor k) {
    k.init(".field('value')");
    Batch in = window(5, 3, 100, 1, 8, -50, 2, 7, 4, 6);
    k.sendBatch(in);
    Batch out = k.takeBatch();
    // -50 1 2 3 4 | 5 6 7 8 100: fences 2 - 7.5 and 7 + 7.5; low ones first, as the Go example.
    assertEquals(List.of(-50.0, 100.0), values(out));
    assertEquals(List.of(in.points().get(5), in.points().get(2)), out.points());
    assertEquals("host=a", out.group(), "a window's group comes from its tags");
    assertEquals(in.toBuilder().group("host=a").clearPoints().points(out.points()).build(), out);
  }

  @Test
  void aValueOnAFenceIsNoOutlier(FakeKapacitor k) {
    k.init(".field('value')");
    // 1 2 3 4 | 5 | 6 7 8 15: fences -5 and 15.
    k.sendBatch(window(1, 2, 3, 4, 5, 6, 7, 8, 15));
    assertEquals(List.of(), values(k.takeBatch()));
    k.sendBatch(window(1, 2, 3, 4, 5, 6, 7, 8, 14.5, -5.5));
    // -5.5 1 2 3 4 | 5 6 7 8 14.5: Q1 2, Q3 7, fences -5.5 and 14.5.
    assertEquals(List.of(), values(k.takeBatch()));
    k.sendBatch(window(1, 2, 3, 4, 5, 6, 7, 8, 14.500001, -5.500001));
    assertEquals(List.of(-5.500001, 14.500001), values(k.takeBatch()));
  }

  @Test
  void tiesAreRankedTogetherAndKeepTheirOrder(FakeKapacitor k) {
    k.init(".field('value').scale(1.0)");
    // 5 5 5 | 5 | 5 20 20: Q1 5, Q3 20, IQR 15: fences -10 and 35, no outliers.
    k.sendBatch(window(20, 5, 5, 5, 20, 5, 5));
    assertEquals(List.of(), values(k.takeBatch()));
    Batch ties = window(9, 9, 9, 9, 9, 9, 9, 40, 40, 9);
    k.sendBatch(ties);
    // 9 x8 | 40 40 -> halves 9 9 9 9 9 and 9 9 9 40 40: Q1 9, Q3 9, IQR 0: both 40s, in the batch's
    // order.
    Batch out = k.takeBatch();
    assertEquals(List.of(ties.points().get(7), ties.points().get(8)), out.points());
  }

  @Test
  void batchesOfOneAndTwoAndNoneGiveEmptyBatches(FakeKapacitor k) {
    k.init(".field('value')");
    for (Batch in : List.of(window(42), window(1, 1000), window(), window(1, 2, 3, 4, 5))) {
      k.sendBatch(in);
      Batch out = k.takeBatch();
      assertEquals(0, out.size(), in.toString());
      assertEquals(in.toBuilder().group(out.group()).clearPoints().build(), out);
    }
    k.assertNoMorePoints();
  }

  @Test
  void intFieldsAreRankedAsNumbersAndPointsWithoutANumberAreLeftOutAndCounted(FakeKapacitor k) {
    k.init(".field('value')");
    Batch.Builder in = Batch.named("cpu").tmax(T0);
    long[] ints = {1, 2, 3, 4, 5, 6, 7, 8, 100};
    for (long v : ints) in.point(Point.builder().time(T0 + v).field("value", v).build());
    in.point(Point.builder().time(T0 + 200).field("value", "high").build());
    in.point(Point.builder().time(T0 + 201).field("other", 1e9).build());
    in.point(Point.builder().time(T0 + 202).field("value", Double.NaN).build());
    Batch sent = in.build();
    k.sendBatch(sent);
    Batch out = k.takeBatch();
    assertEquals(List.of(sent.points().get(8)), out.points());
    k.assertNoMorePoints();
    assertEquals(3, latest.get().dropped());
  }

  @Test
  void optionsAreCheckedAtInit(FakeKapacitor k) {
    assertEquals("option 'field' is required", k.tryInit(Map.of()).error());
    assertEquals(
        "option 'scale' must be at least 1.0, got 0.5",
        k.tryInit(".field('value').scale(0.5)").error());
  }
}
