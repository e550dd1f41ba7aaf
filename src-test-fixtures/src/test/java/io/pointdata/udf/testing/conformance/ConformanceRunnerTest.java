package io.pointdata.udf.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.UdfServer;
import io.pointdata.udf.testing.BrokenUdfs;
import io.pointdata.udf.testing.Threshold;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance runner passes a correct UDF in both modes and fails broken ones with the reason.
 */
class ConformanceRunnerTest {
  @Test
  void correctProcessUdfPasses() {
    Run run = run(patiently("--points", "200", "--process"), java(Threshold.class));
    assertEquals(0, run.status, run.out);
    for (String check :
        List.of(
            "startup",
            "info",
            "init",
            "snapshot",
            "keepalive-under-load",
            "clean-eof",
            "restore",
            "output")) {
      assertRow(run, check, "PASS");
    }
    assertRow(run, "concurrent-sessions", "SKIP");
    assertTrue(run.out.contains("accepted the options .field('value').threshold(1.0)"), run.out);
  }

  @Test
  void correctSocketUdfPassesWithConcurrentSessions(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("c.sock");
    try (UdfServer server = UdfServer.builder(socket).udf(Threshold::new).build().start()) {
      Run run =
          run(
              patiently(
                  "--init",
                  ".field('value')",
                  "--point",
                  "cpu,host=a value=95.0",
                  "--points",
                  "200",
                  "--socket",
                  socket.toString()),
              List.of());
      assertEquals(0, run.status, run.out);
      assertRow(run, "concurrent-sessions", "PASS");
      assertTrue(run.out.contains("200 points, all answered"), run.out);
      assertTrue(run.out.contains("; 200 outputs in all"), run.out);
    }
  }

  @Test
  void udfThatIgnoresEndOfInputFailsAtStartup() {
    Run run = run(List.of("--wait", "8s", "--process"), java(BrokenUdfs.IgnoresEof.class));
    assertEquals(1, run.status, run.out);
    assertRow(run, "startup", "FAIL");
    assertTrue(
        run.out.contains(
            "the UDF did not close its output within PT8S after its input was closed; Kapacitor "
                + "would wait forever"),
        run.out);
    assertRow(run, "keepalive-under-load", "SKIP");
  }

  @Test
  void udfThatSendsEndBatchWithoutBeginBatchFails() {
    Run run =
        run(patiently("--points", "100", "--process"), java(BrokenUdfs.EndWithoutBegin.class));
    assertEquals(1, run.status, run.out);
    assertRow(run, "output", "FAIL");
    assertTrue(
        run.out.contains(
            "the UDF sent an EndBatch without a BeginBatch: Kapacitor dereferences its nil batch "
                + "and kapacitord crashes"),
        run.out);
  }

  @Test
  void udfThatSendsAnEmptyResponseFails() {
    Run run = run(patiently("--points", "100", "--process"), java(BrokenUdfs.EmptyResponse.class));
    assertEquals(1, run.status, run.out);
    assertRow(run, "output", "FAIL");
    assertTrue(
        run.out.contains("the UDF sent a Response with no message set (0 bytes): Kapacitor panics"),
        run.out);
  }

  @Test
  void badCommandLineExitsWithUsage() {
    Run run = run(List.of("--points", "many", "--socket", "/tmp/x.sock"), List.of());
    assertEquals(2, run.status);
    assertTrue(run.err.startsWith("--points takes a positive number, got many"), run.err);
    assertTrue(run.err.contains("usage: java -jar udf-conformance.jar"), run.err);
  }

  private static void assertRow(Run run, String check, String result) {
    Pattern row = Pattern.compile("(?m)^" + Pattern.quote(check) + " +" + result + " ");
    assertTrue(
        row.matcher(run.out).find(), "expected " + check + " " + result + " in:\n" + run.out);
  }

  private record Run(int status, String out, String err) {}

  /** The options, after a timeout and waits long enough for a new JVM on a loaded machine. */
  private static List<String> patiently(String... options) {
    List<String> all = new ArrayList<>(List.of("--wait", "30s", "--timeout", "30s"));
    all.addAll(List.of(options));
    return all;
  }

  private static Run run(List<String> options, List<String> command) {
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
  private static List<String> java(Class<?> main) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        System.getProperty("java.class.path"),
        main.getName());
  }
}
