package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ForestTest {
  static TrainingSet bundled() throws Exception {
    try (InputStream in = Forest.class.getResourceAsStream("Log_rf.csv")) {
      return TrainingSet.read(in, "Log_rf.csv");
    }
  }

  @Test
  void predictsTheTrainingRows() throws Exception {
    TrainingSet training = bundled();
    long start = System.nanoTime();
    Forest forest = Forest.train(training, 600, 42);
    System.err.println("trained in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertEquals(1.0, forest.predict(training.row(0)).label());
    assertEquals(1.0, forest.predict(training.row(1)).label());
    assertEquals(0.0, forest.predict(training.row(2)).label());
    System.err.println(forest.predict(training.row(0)) + " " + forest.predict(training.row(1)) + " " + forest.predict(training.row(2)));
  }
}
