package io.pointdata.udf.examples;

import io.pointdata.udf.UdfException;
import java.util.Locale;
import java.util.Set;

/**
 * Python's {@code strtobool} spellings, which EII's settings such as {@code PROFILING_MODE} use.
 */
final class Booleans {
  private static final Set<String> TRUE = Set.of("y", "yes", "t", "true", "on", "1");
  private static final Set<String> FALSE = Set.of("n", "no", "f", "false", "off", "0");

  private Booleans() {}

  /**
   * Parses y, yes, t, true, on, 1 and n, no, f, false, off, 0, in any case.
   *
   * @param what names the value in the error, e.g. "environment variable PROFILING_MODE"
   * @throws UdfException for any other text
   */
  static boolean parse(String text, String what) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(value)) return true;
    if (FALSE.contains(value)) return false;
    throw new UdfException(
        what
            + " is '"
            + text
            + "'; expected one of y, yes, t, true, on, 1, n, no, f, false, off, 0");
  }
}
