package io.pointdata.udf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that spawn a UDF's JVM share. */
final class SpawnedJvm {
  private SpawnedJvm() {}

  /**
   * What a spawned JVM wrote to {@code stderr.txt} in the given directory, for a failure message;
   * says why if it cannot be read.
   */
  static String stderr(Path dir) {
    try {
      return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
