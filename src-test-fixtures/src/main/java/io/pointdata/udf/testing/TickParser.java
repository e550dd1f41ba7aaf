package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto.OptionValue;
import io.pointdata.udf.proto.UdfProto.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a TICKscript chain of property calls with literal arguments, typing each literal as
 * TICKscript does. Not thread-safe; one parse per instance.
 */
final class TickParser {
  private final String text;
  private int pos;

  TickParser(String text) {
    this.text = text;
  }

  TickOptions parse() {
    TickOptions.Builder options = TickOptions.builder();
    skipSpace();
    if (peek() == '@') {
      pos++;
      identifier("a UDF name after '@'");
      skipSpace();
      expect('(');
      skipSpace();
      expect(')');
    }
    while (true) {
      skipSpace();
      if (pos == text.length()) return options.build();
      expect('.');
      String name = identifier("a property name after '.'");
      skipSpace();
      expect('(');
      List<OptionValue> args = new ArrayList<>();
      skipSpace();
      if (peek() != ')') {
        do {
          skipSpace();
          args.add(literal(name));
          skipSpace();
        } while (consume(','));
      }
      expect(')');
      options.callValues(name, args);
    }
  }

  private OptionValue literal(String option) {
    char c = peek();
    if (c == '\'')
      return OptionValue.newBuilder().setType(ValueType.STRING).setStringValue(string()).build();
    if (c == '"') {
      // A reference: Kapacitor's CallMethod has no case for it, so its type stays the zero value,
      // BOOL, and no value is set.
      reference();
      return OptionValue.newBuilder().setType(ValueType.BOOL).build();
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) return number(option);
    if (text.startsWith("TRUE", pos) && !identifierChar(at(pos + 4))) {
      pos += 4;
      return OptionValue.newBuilder().setType(ValueType.BOOL).setBoolValue(true).build();
    }
    if (text.startsWith("FALSE", pos) && !identifierChar(at(pos + 5))) {
      pos += 5;
      return OptionValue.newBuilder().setType(ValueType.BOOL).setBoolValue(false).build();
    }
    if (text.startsWith("true", pos) || text.startsWith("false", pos)) {
      throw error("TICKscript booleans are TRUE and FALSE");
    }
    if (c == '/') throw error("a regex is not an option value");
    if (text.startsWith("lambda:", pos)) throw error("a lambda is not an option value");
    throw error("expected a value ('string', number, duration, TRUE or FALSE)");
  }

  private String string() {
    boolean triple = text.startsWith("'''", pos);
    String quote = triple ? "'''" : "'";
    pos += quote.length();
    StringBuilder s = new StringBuilder();
    while (true) {
      if (pos >= text.length()) throw error("unterminated string");
      if (text.startsWith(quote, pos)) {
        pos += quote.length();
        return s.toString();
      }
      char c = text.charAt(pos++);
      if (c == '\\' && !triple && pos < text.length()) {
        char next = text.charAt(pos++);
        s.append(next == '\'' || next == '\\' ? next : "\\" + next);
      } else {
        s.append(c);
      }
    }
  }

  private void reference() {
    pos++;
    while (pos < text.length() && text.charAt(pos) != '"') pos++;
    if (pos >= text.length()) throw error("unterminated reference");
    pos++;
  }

  private OptionValue number(String option) {
    int start = pos;
    boolean negative = false;
    if (peek() == '-' || peek() == '+') {
      negative = peek() == '-';
      pos++;
      skipSpace();
    }
    int digits = pos;
    while (Character.isDigit(peek())) pos++;
    if (digits == pos) throw error("expected a number");
    boolean fraction = false;
    if (peek() == '.' && Character.isDigit(at(pos + 1))) {
      fraction = true;
      pos++;
      while (Character.isDigit(peek())) pos++;
    }
    String number = text.substring(digits, pos);
    long unit = durationUnit();
    try {
      if (unit > 0) {
        if (fraction)
          throw error("a duration's number must be whole: " + text.substring(start, pos));
        long nanos = Math.multiplyExact(Long.parseLong(number), unit);
        return OptionValue.newBuilder()
            .setType(ValueType.DURATION)
            .setDurationValue(negative ? -nanos : nanos)
            .build();
      }
      if (fraction) {
        double d = Double.parseDouble(number);
        return OptionValue.newBuilder()
            .setType(ValueType.DOUBLE)
            .setDoubleValue(negative ? -d : d)
            .build();
      }
      long l = Long.parseLong((negative ? "-" : "") + number);
      return OptionValue.newBuilder().setType(ValueType.INT).setIntValue(l).build();
    } catch (NumberFormatException | ArithmeticException e) {
      pos = start;
      throw error("number out of range for option '" + option + "'");
    }
  }

  /** Consumes a duration unit after a number and returns its size in ns, or 0 if there is none. */
  private long durationUnit() {
    String[] units = {"ms", "u", "µ", "s", "m", "h", "d", "w"};
    long[] sizes = {
      1_000_000L,
      1_000L,
      1_000L,
      1_000_000_000L,
      60_000_000_000L,
      3_600_000_000_000L,
      86_400_000_000_000L,
      604_800_000_000_000L
    };
    for (int i = 0; i < units.length; i++) {
      if (text.startsWith(units[i], pos) && !identifierChar(at(pos + units[i].length()))) {
        pos += units[i].length();
        return sizes[i];
      }
    }
    if (identifierChar(peek()))
      throw error("unknown duration unit (TICKscript has u, µ, ms, s, m, h, d, w)");
    return 0;
  }

  private String identifier(String what) {
    int start = pos;
    if (!Character.isLetter(peek()) && peek() != '_') throw error("expected " + what);
    while (identifierChar(peek())) pos++;
    return text.substring(start, pos);
  }

  private static boolean identifierChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (text.startsWith("//", pos)) {
        while (pos < text.length() && text.charAt(pos) != '\n') pos++;
      } else {
        return;
      }
    }
  }

  private boolean consume(char c) {
    if (peek() != c) return false;
    pos++;
    return true;
  }

  private void expect(char c) {
    if (!consume(c)) throw error("expected '" + c + "'");
  }

  private char peek() {
    return at(pos);
  }

  private char at(int i) {
    return i < text.length() ? text.charAt(i) : '\0';
  }

  private IllegalArgumentException error(String message) {
    String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "end of input";
    return new IllegalArgumentException(
        "TICKscript options, at " + (pos + 1) + " (found " + found + "): " + message + ": " + text);
  }
}
