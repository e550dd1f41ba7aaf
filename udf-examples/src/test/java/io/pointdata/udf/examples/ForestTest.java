package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForestTest {
  static TrainingSet bundled() throws IOException {
    try (InputStream in =
        Forest.class.getResourceAsStream(RandomForestClassifier.BUNDLED_TRAINING)) {
      return TrainingSet.read(in, RandomForestClassifier.BUNDLED_TRAINING);
    }
  }

  /** Inputs mixing the features of the three distinct training rows, where forests may disagree. */
  private static List<double[]> mixedRows(TrainingSet training, int count) {
    Random random = new Random(1);
    List<double[]> rows = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      double[] row = new double[training.features().size()];
      for (int f = 0; f < row.length; f++) row[f] = training.row(random.nextInt(3))[f];
      rows.add(row);
    }
    return rows;
  }

  private static List<Forest.Vote> votes(Forest forest, List<double[]> rows) {
    return rows.stream().map(forest::predict).toList();
  }

  @Test
  void readsTheBundledTrainingSet() throws Exception {
    TrainingSet training = bundled();
    assertEquals(9, training.size());
    assertEquals(39, training.features().size());
    assertEquals("Message.Log.Name1", training.features().get(0));
    assertEquals("Message.Log.ilsts1", training.features().get(5));
    assertEquals(
        List.of("1", "1", "0"), List.of(training.label(0), training.label(1), training.label(2)));
  }

  @Test
  void sameSeedGivesTheSameVotesAndAnotherSeedOtherVotes() throws Exception {
    TrainingSet training = bundled();
    List<double[]> rows = mixedRows(training, 200);
    List<Forest.Vote> first = votes(Forest.train(training, 100, 3), rows);
    assertEquals(first, votes(Forest.train(training, 100, 3), rows));
    assertNotEquals(first, votes(Forest.train(training, 100, 4), rows));
  }
}
