package io.pointdata.udf.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as operators write them in Kapacitor's configuration: 500us, 500ms, 10s, 5m, 1h. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(us|ms|s|m|h)");

  private Durations() {}

  /** Accepts {@code 500us}, {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT10S}). */
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
      throw new IllegalArgumentException("not a duration (use e.g. 500us, 500ms, 10s, 5m, 1h): " + text);
    }
  }
}
