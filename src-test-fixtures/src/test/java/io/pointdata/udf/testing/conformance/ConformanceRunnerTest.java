package io.pointdata.udf.testing.conformance;

import static io.pointdata.udf.testing.conformance.RunnerCalls.java;
import static io.pointdata.udf.testing.conformance.RunnerCalls.patiently;
import static io.pointdata.udf.testing.conformance.RunnerCalls.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.UdfServer;
import io.pointdata.udf.testing.BrokenUdfs;
import io.pointdata.udf.testing.Threshold;
import io.pointdata.udf.testing.conformance.RunnerCalls.Run;
import java.nio.file.Path;
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
    Run run = run(patiently(List.of(), "--points", "200", "--process"), java(Threshold.class));
    assertEquals(0, run.status(), run.out());
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
    assertTrue(
        run.out().contains("accepted the options .field('value').threshold(1.0)"), run.out());
  }

  @Test
  void correctSocketUdfPassesWithConcurrentSessions(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("c.sock");
    try (UdfServer server = UdfServer.builder(socket).udf(Threshold::new).build().start()) {
      Run run =
          run(
              patiently(
                  List.of(),
                  "--init",
                  ".field('value')",
                  "--point",
                  "cpu,host=a value=95.0",
                  "--points",
                  "200",
                  "--socket",
                  socket.toString()),
              List.of());
      assertEquals(0, run.status(), run.out());
      assertRow(run, "concurrent-sessions", "PASS");
      assertTrue(run.out().contains("200 points, all answered"), run.out());
      assertTrue(run.out().contains("; 200 outputs in all"), run.out());
    }
  }

  @Test
  void udfThatIgnoresEndOfInputFailsAtStartup() {
    Run run = run(List.of("--wait", "8s", "--process"), java(BrokenUdfs.IgnoresEof.class));
    assertEquals(1, run.status(), run.out());
    assertRow(run, "startup", "FAIL");
    assertTrue(
        run.out()
            .contains(
                "the UDF did not close its output within PT8S after its input was closed; Kapacitor"
                    + " would wait forever"),
        run.out());
    assertRow(run, "keepalive-under-load", "SKIP");
  }

  @Test
  void udfThatSendsEndBatchWithoutBeginBatchFails() {
    Run run =
        run(
            patiently(List.of(), "--points", "100", "--process"),
            java(BrokenUdfs.EndWithoutBegin.class));
    assertEquals(1, run.status(), run.out());
    assertRow(run, "output", "FAIL");
    assertTrue(
        run.out()
            .contains(
                "the UDF sent an EndBatch without a BeginBatch: Kapacitor dereferences its nil"
                    + " batch and kapacitord crashes"),
        run.out());
  }

  @Test
  void udfThatSendsAnEmptyResponseFails() {
    Run run =
        run(
            patiently(List.of(), "--points", "100", "--process"),
            java(BrokenUdfs.EmptyResponse.class));
    assertEquals(1, run.status(), run.out());
    assertRow(run, "output", "FAIL");
    assertTrue(
        run.out()
            .contains("the UDF sent a Response with no message set (0 bytes): Kapacitor panics"),
        run.out());
  }

  @Test
  void badCommandLineExitsWithUsage() {
    Run run = run(List.of("--points", "many", "--socket", "/tmp/x.sock"), List.of());
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("--points takes a positive number, got many"), run.err());
    assertTrue(run.err().contains("usage: java -jar udf-conformance.jar"), run.err());
  }

  private static void assertRow(Run run, String check, String result) {
    Pattern row = Pattern.compile("(?m)^" + Pattern.quote(check) + " +" + result + " ");
    assertTrue(
        row.matcher(run.out()).find(), "expected " + check + " " + result + " in:\n" + run.out());
  }
}
