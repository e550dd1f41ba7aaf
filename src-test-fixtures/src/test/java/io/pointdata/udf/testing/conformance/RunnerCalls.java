package io.pointdata.udf.testing.conformance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the conformance runner in this JVM against a UDF in a new one, as its tests do. */
final class RunnerCalls {
  private RunnerCalls() {}

  /** What the runner returned and printed. */
  record Run(int status, String out, String err) {}

  /** The options, after a timeout and waits long enough for a new JVM on a loaded machine. */
  static List<String> patiently(List<String> first, String... options) {
    List<String> all = new ArrayList<>(List.of("--wait", "30s", "--timeout", "30s"));
    all.addAll(first);
    all.addAll(List.of(options));
    return all;
  }

  static Run run(List<String> options, List<String> command) {
    List<String> args = new ArrayList<>(options);
    args.addAll(command);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ConformanceRunner.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The command line of a test main in a new JVM, as the rest of {@code --process}. */
  static List<String> java(Class<?> main) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        System.getProperty("java.class.path"),
        main.getName());
  }
}
