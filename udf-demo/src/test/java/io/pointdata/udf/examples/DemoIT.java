package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, run from the built jar as the README says, with a small point count. */
class DemoIT {
  static final Path JAR = Path.of(System.getProperty("udf.demo.jar", "target/udf-demo.jar"));

  @TempDir Path dir;

  @Test
  void runsTheEiiFlowAndSummarisesIt() throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(
                Main.javaPath().toString(),
                "-jar",
                JAR.toString(),
                "--points",
                "400",
                "--messages",
                "12",
                "--seed",
                "5")
            .redirectError(stderr.toFile())
            .start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        process.waitFor(180, TimeUnit.SECONDS),
        () -> "the demo did not exit within 180 s: " + out + read(stderr));
    assertEquals(0, process.exitValue(), () -> out + read(stderr));

    // What the simulated sensors sent with that seed, counted here independently of the demo.
    SimulatedData data = new SimulatedData(5, 0);
    int temperature = 0;
    int humidity = 0;
    for (int i = 0; i < 400; i++) {
      Point p = data.sensorReading(i);
      double t = p.doubleField("temperature");
      if (t < 20 || t > 25) temperature++;
      if (p.doubleField("humidity") > 25) humidity++;
    }
    assertSummary(
        out,
        "temperature\\s+socket\\s+400\\s+"
            + temperature
            + "\\s+"
            + (400 - temperature)
            + " in range");
    assertSummary(
        out, "humidity\\s+socket\\s+400\\s+" + humidity + "\\s+" + (400 - humidity) + " in range");
    // 12 messages: the 3 samples and rows A, B, C twice, the 7th cut short.
    assertSummary(out, "rfc\\s+process\\s+12\\s+11\\s+1 unreadable");
    assertTrue(out.contains("rfc predictions: 1.0 x 9, 0.0 x 2 "), out);
    assertTrue(
        out.contains("window 2: 3 messages -> row-A -> 1.0, row-B -> 1.0, row-C -> 0.0"), out);
    assertTrue(out.contains("the rfc process exited with status 0"), out);
    assertTrue(out.strip().endsWith("all checks passed"), out);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void assertSummary(String out, String line) {
    Matcher m =
        Pattern.compile("^\\s+" + line + "\\s+[\\d,]+ pts/s$", Pattern.MULTILINE).matcher(out);
    assertTrue(m.find(), () -> "no summary line /" + line + "/ in:\n" + out);
  }
}
