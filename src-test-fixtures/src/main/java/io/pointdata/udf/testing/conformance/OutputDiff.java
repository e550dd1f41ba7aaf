package io.pointdata.udf.testing.conformance;

import com.google.protobuf.TextFormat;
import io.pointdata.udf.testing.Output;
import java.util.List;

/** Says how one run's outputs differ from another's, naming what was lost. */
final class OutputDiff {
  private static final TextFormat.Printer ONE_LINE = TextFormat.printer().emittingSingleLine(true);

  private OutputDiff() {}

  /**
   * The difference between the expected and the actual outputs, or null if there is none: with
   * {@code compareValues}, the first output that differs, or the outputs lost; otherwise the
   * counts.
   */
  static String describe(
      List<Output> expected,
      List<Output> actual,
      String expectedName,
      String actualName,
      boolean compareValues) {
    int missing = expected.size() - actual.size();
    String counts =
        actualName + " gave " + actual.size() + " outputs, " + expectedName + " " + expected.size();
    if (!compareValues) return missing == 0 ? null : counts;
    int first = 0;
    while (first < Math.min(expected.size(), actual.size())
        && expected.get(first).equals(actual.get(first))) first++;
    if (first == expected.size() && first == actual.size()) return null;
    if (missing > 0
        && actual
            .subList(first, actual.size())
            .equals(expected.subList(first + missing, expected.size()))) {
      boolean trailing = first == actual.size();
      return counts
          + ": lost "
          + (missing == 1
              ? "output #" + (first + 1)
              : missing + " outputs, #" + (first + 1) + " to #" + (first + missing))
          + (trailing ? " (the last)" : "")
          + ", "
          + (missing == 1 ? "" : "the first ")
          + show(expected.get(first));
    }
    // first < actual.size() from here on: a lost tail matched above
    if (first == expected.size()) {
      return counts
          + ": "
          + (-missing)
          + " more than expected, the first extra #"
          + (first + 1)
          + " "
          + show(actual.get(first));
    }
    String wanted = show(expected.get(first));
    String got = show(actual.get(first));
    return (missing == 0 ? "" : counts + "; ")
        + "output #"
        + (first + 1)
        + " differs: "
        + expectedName
        + " gave "
        + wanted
        + ", "
        + actualName
        + " "
        + got
        + (wanted.equals(got) ? " (they differ in a later point)" : "");
  }

  /** An output on one line. */
  static String show(Output output) {
    if (output instanceof Output.StreamPoint p)
      return "point {" + ONE_LINE.printToString(p.point()).strip() + "}";
    Output.Batch b = (Output.Batch) output;
    return "batch {name: \""
        + b.name()
        + "\" tags: "
        + b.tags()
        + " tmax: "
        + b.tmax()
        + " points: "
        + b.points().size()
        + (b.points().isEmpty()
            ? ""
            : ", the first {" + ONE_LINE.printToString(b.points().get(0)).strip() + "}")
        + "}";
  }
}
