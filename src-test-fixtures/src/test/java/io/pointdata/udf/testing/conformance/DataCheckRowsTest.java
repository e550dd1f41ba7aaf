package io.pointdata.udf.testing.conformance;

import static io.pointdata.udf.testing.conformance.RunnerCalls.java;
import static io.pointdata.udf.testing.conformance.RunnerCalls.patiently;
import static io.pointdata.udf.testing.conformance.RunnerCalls.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.UdfServer;
import io.pointdata.udf.testing.GoMovingAvg;
import io.pointdata.udf.testing.LossyUdfs;
import io.pointdata.udf.testing.conformance.RunnerCalls.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's pipelined-output and state-restored checks: they pass a port of Kapacitor's Go
 * {@code moving_avg} (its gob snapshots) as a process and as a socket UDF, and fail pass-through
 * UDFs that lose data, saying what was lost, where every other check passes them.
 */
class DataCheckRowsTest {
  private static final Class<?> MOVING_AVG = GoMovingAvg.class;
  private static final List<String> MOVING_AVG_INIT = List.of("--init", ".field('value').size(3)");

  @Test
  void goMovingAvgPassesAsAProcess() {
    Run run = run(patiently(MOVING_AVG_INIT, "--points", "200", "--process"), java(MOVING_AVG));
    assertEquals(0, run.status(), run.out());
    assertRow(
        run,
        "pipelined-output",
        "PASS",
        "the same 200 outputs from 200 points paced (a Snapshot after each) "
            + "and pipelined (3 runs: written back to back, the input closed at once)");
    // Its snapshot is a gob of the window of each group: its size grows with the points seen.
    assertRow(
        run,
        "state-restored",
        "PASS",
        "the same 20 outputs from 20 points uninterrupted and cut after 1, 2 "
            + "and 7 (Snapshot of ");
  }

  @Test
  void goMovingAvgPassesAsASocket(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("avg.sock");
    try (UdfServer server = UdfServer.builder(socket).handler(GoMovingAvg::new).build().start()) {
      Run run =
          run(
              patiently(MOVING_AVG_INIT, "--points", "200", "--socket", socket.toString()),
              List.of());
      assertEquals(0, run.status(), run.out());
      assertRow(run, "pipelined-output", "PASS", "the same 200 outputs");
      assertRow(run, "state-restored", "PASS", "the same 20 outputs");
      assertRow(run, "concurrent-sessions", "PASS", "");
    }
  }

  @Test
  void passThroughThatDropsQueuedAnswersAtEndOfInputFails() {
    Run run =
        run(
            patiently(List.of(), "--points", "200", "--process"),
            java(LossyUdfs.DropsQueuedAnswersAtEof.class));
    assertEquals(1, run.status(), run.out());
    // The checks before could not tell: it answers, and exits 0 at end of input.
    assertRow(run, "clean-eof", "PASS", "closed its output and exited with status 0");
    assertRow(
        run,
        "pipelined-output",
        "FAIL",
        "pipelined run 1 of 3 (200 points written back to back, then the "
            + "input closed at once): the pipelined run gave ");
    assertTrue(
        Pattern.compile(
                "the paced run 200: lost \\d+ outputs, #\\d+ to #200 \\(the last\\), the first"
                    + " point \\{time: \\d+ name: \"udf_conformance\"")
            .matcher(run.out())
            .find(),
        run.out());
  }

  @Test
  void passThroughThatAnswersOneLateAndDropsTheLastFails() {
    Run run =
        run(
            patiently(List.of(), "--points", "100", "--process"),
            java(LossyUdfs.AnswersOneLate.class));
    assertEquals(1, run.status(), run.out());
    assertRow(
        run,
        "state-restored",
        "FAIL",
        "cut after 1 point (Snapshot, task stopped, new task, Init, Restore of the 0-byte snapshot,"
            + " then points 2..20): the run restored from a snapshot gave 18 outputs, the"
            + " uninterrupted run 19: lost output #1, point {time: 1704067200000000000 name:"
            + " \"udf_conformance\"");
  }

  @Test
  void restoreThatIgnoresTheSnapshotFails() {
    Run run =
        run(
            patiently(List.of(), "--points", "100", "--process"),
            java(LossyUdfs.RestoreIgnoresSnapshot.class));
    assertEquals(1, run.status(), run.out());
    assertRow(run, "snapshot", "PASS", "answered a Snapshot request with 8 bytes");
    assertRow(run, "restore", "PASS", "");
    assertRow(run, "pipelined-output", "PASS", "");
    // Default points: values 1, 2, 4, ...: after point 1 the sum is 1.0, after point 2 3.0,
    // restored from zero 2.0.
    assertRow(
        run,
        "state-restored",
        "FAIL",
        "cut after 1 point (Snapshot, task stopped, new task, Init, Restore of the 8-byte snapshot,"
            + " then points 2..20): output #2 differs: the uninterrupted run gave point {");
    assertTrue(run.out().contains("key: \"sum\" value: 3.0"), run.out());
    assertTrue(run.out().contains("key: \"sum\" value: 2.0"), run.out());
  }

  @Test
  void nondeterministicUdfIsComparedByCounts() {
    Run run =
        run(
            patiently(List.of(), "--nondeterministic", "--points", "100", "--process"),
            java(LossyUdfs.RestoreIgnoresSnapshot.class));
    assertEquals(0, run.status(), run.out());
    assertRow(
        run,
        "state-restored",
        "PASS",
        "as many, 20 outputs from 20 points uninterrupted and cut after 1, 2 and 7 (Snapshot of 8,"
            + " 8 and 8 bytes, new task, Restore, the rest); outputs not compared, only counted");
  }

  /** Asserts the check's row has this result, and its detail starts with {@code detail}. */
  private static void assertRow(Run run, String check, String result, String detail) {
    Matcher row =
        Pattern.compile("(?m)^" + Pattern.quote(check) + " +" + result + " +(.*)$")
            .matcher(run.out());
    assertTrue(row.find(), "expected " + check + " " + result + " in:\n" + run.out());
    assertTrue(
        row.group(1).startsWith(detail),
        "expected " + check + "'s detail to start with " + detail + " in:\n" + run.out());
  }
}
