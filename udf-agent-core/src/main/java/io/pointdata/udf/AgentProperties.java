package io.pointdata.udf;

import io.pointdata.udf.internal.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code -D} properties {@link UdfAgent#main} reads, for both process and socket UDFs: an
 * operator's way to tune a UDF through kapacitor.conf's {@code args}, without its code. Each
 * returns null when unset; a value it cannot read stops the UDF with the property's name.
 */
final class AgentProperties {
  private AgentProperties() {}

  static Duration handlerDeadline() {
    String value = value(UdfAgent.HANDLER_DEADLINE_PROPERTY);
    return value == null ? null : duration(UdfAgent.HANDLER_DEADLINE_PROPERTY, value);
  }

  static Duration readWindow() {
    String value = value(UdfAgent.READ_WINDOW_PROPERTY);
    if (value == null) return null;
    return value.equals("0") ? Duration.ZERO : duration(UdfAgent.READ_WINDOW_PROPERTY, value);
  }

  static Integer maxSessions() {
    return positiveInt(UdfAgent.MAX_SESSIONS_PROPERTY);
  }

  static Integer maxBatchPoints() {
    return positiveInt(UdfAgent.MAX_BATCH_POINTS_PROPERTY);
  }

  static Long maxBatchBytes() {
    String value = value(UdfAgent.MAX_BATCH_BYTES_PROPERTY);
    return value == null ? null : bytes(UdfAgent.MAX_BATCH_BYTES_PROPERTY, value);
  }

  private static String value(String property) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Duration duration(String property, String value) {
    try {
      Duration duration = Durations.parse(value);
      if (duration.isNegative() || duration.isZero())
        throw new IllegalArgumentException("must be positive, got " + value);
      return duration;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-D" + property + ": " + e.getMessage(), e);
    }
  }

  private static Integer positiveInt(String property) {
    String value = value(property);
    if (value == null) return null;
    try {
      int number = Integer.parseInt(value);
      if (number < 1) throw new NumberFormatException();
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + " takes a positive whole number, got " + value);
    }
  }

  /**
   * A size as the JVM's own flags write it: {@code 1048576}, {@code 512k}, {@code 4m}, {@code 1g}.
   */
  private static long bytes(String property, String value) {
    String digits = value.toLowerCase(Locale.ROOT);
    int shift =
        switch (digits.charAt(digits.length() - 1)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    if (shift != 0) digits = digits.substring(0, digits.length() - 1);
    try {
      long number = Long.parseLong(digits);
      if (number < 1 || number > Long.MAX_VALUE >> shift) throw new NumberFormatException();
      return number << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + " takes a positive size in bytes (e.g. 4m, 512k), got " + value);
    }
  }
}
