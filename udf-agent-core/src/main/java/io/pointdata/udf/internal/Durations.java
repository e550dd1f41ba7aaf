package io.pointdata.udf.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in Kapacitor's configuration: 500us, 500ms, 10s, 5m, 1h. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(us|ms|s|m|h)");

  private Durations() {}

  /**
   * Accepts {@code 500us}, {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code
   * PT10S}).
   */
  public static Duration parse(String text) {
    Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not a duration (use e.g. 500us, 500ms, 10s, 5m, 1h): " + text);
    }
  }

  /**
   * Writes a duration as an operator would type it: {@code 30s}, {@code 800ms}, {@code 1m30s},
   * {@code 1h}; fractions of a millisecond as {@code us}. The inverse of {@link #parse} for whole
   * units.
   */
  public static String format(Duration d) {
    if (d.isNegative()) return "-" + format(d.negated());
    if (d.isZero()) return "0s";
    if (d.getNano() % 1_000_000 != 0 && d.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = d.toNanos();
      return nanos % 1000 == 0 ? nanos / 1000 + "us" : nanos + "ns";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) return d.toMillis() + "ms";
    StringBuilder s = new StringBuilder();
    if (d.toHours() > 0) s.append(d.toHours()).append('h');
    if (d.toMinutesPart() > 0) s.append(d.toMinutesPart()).append('m');
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (millis > 0) {
      s.append(seconds)
          .append('.')
          .append(String.format("%03d", millis).replaceAll("0+$", ""))
          .append('s');
    } else if (seconds > 0) {
      s.append(seconds).append('s');
    }
    return s.toString();
  }
}
