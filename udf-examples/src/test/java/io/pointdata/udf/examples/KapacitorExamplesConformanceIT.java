package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance runner's checks (PROTOCOL.md §6) on Kapacitor's own examples, run from the built
 * jar as Kapacitor runs them: as a process UDF and as a socket UDF.
 */
class KapacitorExamplesConformanceIT {
  @TempDir Path dir;

  /** The examples, each with options for its task and points that give it something to do. */
  enum Case {
    MOVING_AVG(
        Example.MOVING_AVG,
        ".field('value').size(3)",
        "cpu,host=a value=1.0",
        "cpu,host=b value=2.5",
        "cpu,host=a value=4i",
        "cpu,host=b value=0.5"),
    OUTLIERS(
        Example.OUTLIERS,
        ".field('value').scale(1.5)",
        "cpu,host=a value=1.0",
        "cpu,host=a value=2.0",
        "cpu,host=a value=3.0",
        "cpu,host=a value=100.0",
        "cpu,host=a value=2.5");

    final Example example;
    final String init;
    final List<String> points;

    Case(Example example, String init, String... points) {
      this.example = example;
      this.init = init;
      this.points = List.of(points);
    }

    List<String> args() {
      List<String> args =
          new ArrayList<>(List.of("--init", init, "--points", "500", "--wait", "30s"));
      points.forEach(p -> args.addAll(List.of("--point", p)));
      return args;
    }
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void passesEveryCheckAsAProcessUdf(Case c) {
    List<String> args = c.args();
    args.add("--process");
    args.addAll(JarIT.java(c.example.command()));
    assertPasses(args);
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void passesEveryCheckAsASocketUdf(Case c) throws Exception {
    Path socket = dir.resolve(c.example.command() + ".sock");
    Process process =
        new ProcessBuilder(JarIT.java(c.example.command(), "--socket", socket.toString()))
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      assertTrue(Files.exists(socket), "socket created within 60 s");
      List<String> args = c.args();
      args.addAll(List.of("--socket", socket.toString()));
      assertPasses(args);
    } finally {
      process.destroy();
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          () -> "no exit within 30 s of SIGTERM: " + JarIT.read(dir.resolve("stderr.txt")));
    }
  }

  /** Runs the checks; none may fail (a socket-only one is skipped for a process). */
  private static void assertPasses(List<String> args) {
    String report = ConformanceIT.run(args);
    assertTrue(report.contains(" passed, 0 failed"), report);
  }
}
