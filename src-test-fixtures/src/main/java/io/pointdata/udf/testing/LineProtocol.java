package io.pointdata.udf.testing;

import io.pointdata.udf.Point;

/**
 * Parses one line of InfluxDB line protocol into a point. Not thread-safe; one line per instance.
 */
final class LineProtocol {
  private final String line;
  private int pos;

  private LineProtocol(String line) {
    this.line = line.strip();
  }

  static Point parse(String line) {
    return new LineProtocol(line).parse();
  }

  private Point parse() {
    String measurement = token(", ");
    if (measurement.isEmpty()) throw error("missing measurement");
    Point.Builder point = Point.named(measurement);
    while (peek() == ',') {
      pos++;
      String key = token("=");
      expect('=');
      String value = token(", ");
      if (key.isEmpty() || value.isEmpty()) throw error("empty tag key or value");
      point.tag(key, value);
    }
    expect(' ');
    do {
      String key = token("=");
      expect('=');
      field(point, key);
    } while (consume(','));
    if (consume(' ')) {
      String time = line.substring(pos).strip();
      try {
        point.time(Long.parseLong(time));
      } catch (NumberFormatException e) {
        throw error("timestamp is not an integer of nanoseconds: " + time);
      }
      pos = line.length();
    }
    if (pos != line.length()) throw error("unexpected text");
    return point.build();
  }

  private void field(Point.Builder point, String key) {
    if (peek() == '"') {
      pos++;
      StringBuilder s = new StringBuilder();
      while (pos < line.length() && line.charAt(pos) != '"') {
        char c = line.charAt(pos++);
        if (c == '\\' && pos < line.length()) c = line.charAt(pos++);
        s.append(c);
      }
      expect('"');
      point.field(key, s.toString());
      return;
    }
    String raw = token(", ");
    switch (raw) {
      case "t", "T", "true", "True", "TRUE" -> point.field(key, true);
      case "f", "F", "false", "False", "FALSE" -> point.field(key, false);
      default -> {
        try {
          if (raw.endsWith("i") || raw.endsWith("u")) {
            point.field(key, Long.parseLong(raw.substring(0, raw.length() - 1)));
          } else {
            point.field(key, Double.parseDouble(raw));
          }
        } catch (NumberFormatException e) {
          throw error("field '" + key + "' has no valid value: " + raw);
        }
      }
    }
  }

  /** Reads up to an unescaped stop character; a backslash escapes the next character. */
  private String token(String stops) {
    StringBuilder s = new StringBuilder();
    while (pos < line.length()) {
      char c = line.charAt(pos);
      if (c == '\\' && pos + 1 < line.length()) {
        s.append(line.charAt(pos + 1));
        pos += 2;
        continue;
      }
      if (stops.indexOf(c) >= 0) return s.toString();
      s.append(c);
      pos++;
    }
    return s.toString();
  }

  private char peek() {
    return pos < line.length() ? line.charAt(pos) : '\0';
  }

  private boolean consume(char c) {
    if (peek() != c) return false;
    pos++;
    return true;
  }

  private void expect(char c) {
    if (!consume(c)) throw error("expected '" + c + "'");
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(
        "line protocol, at " + (pos + 1) + ": " + message + ": " + line);
  }
}
