package io.pointdata.udf.testing.conformance;

import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.UdfTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Checks that a UDF, in any language, behaves as Kapacitor needs it to, by running Kapacitor's side
 * of the protocol against it and printing a pass/fail table.
 *
 * <pre>
 * java -jar udf-conformance.jar --init ".field('value')" --process java -jar my-udf.jar
 * java -jar udf-conformance.jar --socket /run/udf/my-udf.sock
 * </pre>
 *
 * <p>Exit status 0 when no check fails, 1 when one does, 2 on a bad command line, 3 when the runner
 * itself failed (its own side, such as its socket client, could not do its part; no result is the
 * UDF's). Run with no arguments for the options.
 */
public final class ConformanceRunner {
  private ConformanceRunner() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the suite as {@link #main} does, printing to the given streams; returns the exit status.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    ConformanceConfig config;
    try {
      config = ConformanceConfig.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(
          args.length == 0
              ? ConformanceConfig.USAGE
              : e.getMessage() + "\n\n" + ConformanceConfig.USAGE);
      return 2;
    }
    UdfTarget target =
        config.command() != null
            ? UdfTarget.process(config.command(), config.env())
            : UdfTarget.socket(config.socket());
    out.println(
        "Kapacitor UDF conformance: "
            + target
            + " (timeout "
            + config.timeout().toMillis()
            + " ms)");
    List<ConformanceSuite.Check> checks;
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(target)
            .name("conformance")
            .timeout(config.timeout())
            .responseWait(config.patience())
            .outputWait(config.patience())
            .exitWait(config.patience())
            .socketRetry(Duration.ofMillis(100), config.patience())
            .build()) {
      checks = new ConformanceSuite(config, kapacitor).run();
    } catch (RuntimeException e) {
      // A failure of the runner's own side (a check that could not be run) is never the UDF's.
      err.println("conformance runner error, not the UDF's: " + e.getMessage());
      e.printStackTrace(err);
      return 3;
    }
    out.print(table(checks));
    return checks.stream().anyMatch(c -> c.status() == ConformanceSuite.Status.FAIL) ? 1 : 0;
  }

  /** The report: one row per check, long details wrapped under their row. */
  static String table(List<ConformanceSuite.Check> checks) {
    int width =
        Math.max(
            "CHECK".length(), checks.stream().mapToInt(c -> c.name().length()).max().orElse(0));
    String format = "%-" + width + "s  %-6s  %s%n";
    String indent = " ".repeat(width + 10);
    StringBuilder s =
        new StringBuilder("\n").append(String.format(format, "CHECK", "RESULT", "DETAIL"));
    for (ConformanceSuite.Check c : checks) {
      String detail = c.detail().strip().replace("\n", "\n" + indent);
      s.append(String.format(format, c.name(), c.status(), detail));
    }
    long passed = count(checks, ConformanceSuite.Status.PASS);
    long failed = count(checks, ConformanceSuite.Status.FAIL);
    long skipped = count(checks, ConformanceSuite.Status.SKIP);
    s.append('\n')
        .append(passed)
        .append(" passed, ")
        .append(failed)
        .append(" failed, ")
        .append(skipped)
        .append(" skipped\n");
    return s.toString();
  }

  private static long count(List<ConformanceSuite.Check> checks, ConformanceSuite.Status status) {
    return checks.stream().filter(c -> c.status() == status).count();
  }
}
