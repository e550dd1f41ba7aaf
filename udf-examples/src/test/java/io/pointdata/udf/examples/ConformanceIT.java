package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.testing.conformance.ConformanceRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance runner over every example of the built jar, as a process UDF and as a socket UDF:
 * every check passes, the data checks (pipelined-output, state-restored) included.
 */
class ConformanceIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Example.class)
  void passesAsAProcess(Example example) throws IOException {
    List<String> args = options(example);
    args.add("--process");
    args.addAll(JarIT.java(example.command()));
    String out = run(args);
    assertRow(out, "pipelined-output", "PASS");
    assertRow(out, "state-restored", "PASS");
    assertRow(out, "concurrent-sessions", "SKIP");
    assertTrue(out.contains("\n10 passed, 0 failed, 1 skipped\n"), out);
  }

  @ParameterizedTest
  @EnumSource(Example.class)
  void passesAsASocket(Example example) throws Exception {
    Path socket = dir.resolve(example.command() + ".sock");
    Process server =
        new ProcessBuilder(JarIT.java(example.command(), "--socket", socket.toString()))
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      List<String> args = options(example);
      args.addAll(List.of("--socket", socket.toString()));
      String out = run(args);
      assertRow(out, "pipelined-output", "PASS");
      assertRow(out, "state-restored", "PASS");
      assertRow(out, "concurrent-sessions", "PASS");
      assertTrue(out.contains("\n11 passed, 0 failed, 0 skipped\n"), out);
    } finally {
      server.destroy();
      assertTrue(
          server.waitFor(30, TimeUnit.SECONDS),
          () -> "no exit within 30 s of SIGTERM: " + JarIT.read(dir.resolve("stderr.txt")));
    }
  }

  /** Options the example accepts, and points that it answers in varied ways. */
  private static List<String> options(Example example) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("--wait", "30s", "--timeout", "30s", "--points", "200"));
    switch (example) {
      case TEMPERATURE -> {
        args.addAll(List.of("--init", ".min(20.0).max(25.0)"));
        for (String t : List.of("18.0", "22.5", "30.0", "24.0", "26.5")) {
          args.addAll(List.of("--point", "point_data,host=a temperature=" + t));
        }
      }
      case HUMIDITY -> {
        args.addAll(List.of("--init", ".max(50.0)"));
        for (String h : List.of("40.0", "60.0", "55.5", "12.0")) {
          args.addAll(List.of("--point", "point_data,host=b humidity=" + h));
        }
      }
      case RFC -> {
        args.addAll(List.of("--init", ".trees(5)"));
        for (int n = 1; n <= 3; n++) {
          String json = RfcInputs.sample(n).strip().replace("\\", "\\\\").replace("\"", "\\\"");
          args.addAll(List.of("--point", "ts_data,host=ia_telegraf value=\"" + json + "\""));
        }
      }
    }
    return args;
  }

  /** Runs the conformance runner with these arguments; returns its report, which must pass. */
  static String run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ConformanceRunner.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
    return text;
  }

  private static void assertRow(String out, String check, String result) {
    assertTrue(
        Pattern.compile("(?m)^" + Pattern.quote(check) + " +" + result + " ").matcher(out).find(),
        "expected " + check + " " + result + " in:\n" + out);
  }
}
