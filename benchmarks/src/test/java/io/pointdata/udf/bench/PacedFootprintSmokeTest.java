package io.pointdata.udf.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the paced footprint measurement briefly; checks that it completes and reads its figures,
 * never their size.
 */
class PacedFootprintSmokeTest {
  private static final String TEMPERATURE_UDF =
      "java -cp '"
          + System.getProperty("java.class.path")
          + "' "
          + AgentMain.class.getName()
          + " threshold";

  @TempDir Path dir;

  @Test
  void feedsTheTemperatureUdfAtAPaceAndGetsEveryAnomalyBack() throws Exception {
    PacedFootprint.Run run =
        new PacedFootprint(2_000, 20_000, dir.resolve("udf.log")).run(TEMPERATURE_UDF);
    assertTrue(run.infoMillis() > 0, "Info was timed");
    assertTrue(run.peakRssMiB() > 0, "the peak RSS was read");
    assertTrue(
        run.pointsPerSecond() > 0 && run.pointsPerSecond() <= 21_000,
        "paced: " + run.pointsPerSecond());
  }

  @Test
  void aCommandThatNeverAnswersInfoFailsTheRun() {
    assertThrows(
        IOException.class, () -> new PacedFootprint(10, 1_000, dir.resolve("udf.log")).run("true"));
  }
}
