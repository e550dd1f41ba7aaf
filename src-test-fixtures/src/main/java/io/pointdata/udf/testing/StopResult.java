package io.pointdata.udf.testing;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a session ended: the UDF's exit status, and every problem Kapacitor would have had with it
 * that the test did not already expect.
 *
 * @param exitStatus the process's exit status; 0 for an in-JVM agent that returned; empty for a
 *     socket, or when the UDF had to be killed
 * @param problems what went wrong, each worded for the test failure; empty when the UDF stopped
 *     cleanly
 */
public record StopResult(OptionalInt exitStatus, List<String> problems) {
  public StopResult {
    Objects.requireNonNull(exitStatus, "exitStatus == null");
    problems = List.copyOf(problems);
  }

  /** Whether the UDF closed its output, exited with status 0, and gave Kapacitor no trouble. */
  public boolean clean() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    String exit = exitStatus.isPresent() ? "exit status " + exitStatus.getAsInt() : "no exit status";
    return clean() ? "stopped cleanly (" + exit + ")" : "stopped with problems (" + exit + "):\n  - "
        + String.join("\n  - ", problems);
  }
}
