package io.pointdata.udf.testing;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a session ended: the UDF's exit status, and every problem Kapacitor would have had with it
 * that the test did not already expect.
 *
 * @param exitStatus the process's exit status; 0 for an in-JVM UDF that returned; empty for a
 *     socket, or when the UDF did not end by itself
 * @param problems what went wrong, each worded for a test failure; empty when the UDF stopped
 *     cleanly
 * @param diagnostics what the UDF said on its way out (a process's last stderr lines), or empty
 */
public record StopResult(OptionalInt exitStatus, List<String> problems, String diagnostics) {
  public StopResult {
    Objects.requireNonNull(exitStatus, "exitStatus == null");
    problems = List.copyOf(problems);
    Objects.requireNonNull(diagnostics, "diagnostics == null");
  }

  /** Whether the UDF closed its output, exited with status 0, and gave Kapacitor no trouble. */
  public boolean clean() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    String exit =
        exitStatus.isPresent() ? "exit status " + exitStatus.getAsInt() : "no exit status";
    if (clean()) return "stopped cleanly (" + exit + ")";
    return "stopped with problems ("
        + exit
        + "):\n  - "
        + String.join("\n  - ", problems)
        + (diagnostics.isEmpty() ? "" : "\n" + diagnostics);
  }
}
