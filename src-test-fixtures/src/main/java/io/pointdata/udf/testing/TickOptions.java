package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.OptionValue;
import io.pointdata.udf.proto.UdfProto.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A UDF's options as a TICKscript gives them: property calls such as {@code
 * .field('value').size(10).period(10s).strict()}, in call order.
 *
 * <p>Values are typed as TICKscript types its literals, which is what Kapacitor checks against the
 * UDF's Info and sends in Init: {@code 10} is INT, {@code 10.0} DOUBLE, {@code 'text'} STRING,
 * {@code 10s} DURATION (nanoseconds), {@code TRUE} BOOL. A call may have several arguments or none
 * (a flag), and the same option may be called several times. A double-quoted {@code "name"} is a
 * reference, not a string: Kapacitor passes it on typed BOOL with no value at all.
 *
 * <pre>{@code
 * TickOptions.parse("@movingAvg().field('value').size(10).as('mean')");
 * TickOptions.of(Map.of("field", "value", "size", 10));
 * TickOptions.builder().call("field", "value").call("tag", "a").call("tag", "b").call("strict").build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class TickOptions {
  /**
   * One property call: its name, its arguments as Kapacitor types them, and its TICKscript text.
   */
  public record Call(String name, List<OptionValue> args, String text) {
    public Call {
      Objects.requireNonNull(name, "name == null");
      args = List.copyOf(args);
      Objects.requireNonNull(text, "text == null");
    }
  }

  private static final TickOptions NONE = new TickOptions(List.of());

  private final List<Call> calls;

  private TickOptions(List<Call> calls) {
    this.calls = List.copyOf(calls);
  }

  /** No options: the bare {@code @udf()}. */
  public static TickOptions none() {
    return NONE;
  }

  /**
   * Parses a chain of property calls, optionally after the {@code @name()} that starts a UDF node.
   *
   * @throws IllegalArgumentException naming the position of anything that is not a property call
   *     with literal arguments
   */
  public static TickOptions parse(String tickscript) {
    return new TickParser(Objects.requireNonNull(tickscript, "tickscript == null")).parse();
  }

  /**
   * Options from a map, in its iteration order (use a {@code LinkedHashMap} when the order
   * matters). Each value is one call with one argument: Long, Integer, Short or Byte is INT, Double
   * or Float DOUBLE, String STRING, Duration DURATION, Boolean BOOL. A List is the option called
   * once per element. Flags and calls with several arguments need {@link #builder()} or {@link
   * #parse}.
   *
   * @throws IllegalArgumentException for a value of another type
   */
  public static TickOptions of(Map<String, ?> options) {
    Objects.requireNonNull(options, "options == null");
    Builder b = builder();
    options.forEach(
        (name, value) -> {
          if (value instanceof List<?> list) list.forEach(v -> b.call(name, v));
          else b.call(name, value);
        });
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The calls, in order. */
  public List<Call> calls() {
    return calls;
  }

  public boolean isEmpty() {
    return calls.isEmpty();
  }

  /** The options as Init carries them: one Option per call, in call order. */
  List<UdfProto.Option> toInitOptions() {
    List<UdfProto.Option> options = new ArrayList<>();
    for (Call c : calls)
      options.add(UdfProto.Option.newBuilder().setName(c.name()).addAllValues(c.args()).build());
    return options;
  }

  /** The TICKscript text, e.g. {@code .field('value').size(10)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    calls.forEach(c -> s.append(c.text()));
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TickOptions other && calls.equals(other.calls);
  }

  @Override
  public int hashCode() {
    return calls.hashCode();
  }

  /** Converts a Java value to the option value TICKscript would make of the same literal. */
  static OptionValue valueOf(String option, Object value) {
    Objects.requireNonNull(value, () -> "value of option '" + option + "' is null");
    OptionValue.Builder v = OptionValue.newBuilder();
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return v.setType(ValueType.INT).setIntValue(((Number) value).longValue()).build();
    } else if (value instanceof Double || value instanceof Float) {
      return v.setType(ValueType.DOUBLE).setDoubleValue(((Number) value).doubleValue()).build();
    } else if (value instanceof String s) {
      return v.setType(ValueType.STRING).setStringValue(s).build();
    } else if (value instanceof Duration d) {
      return v.setType(ValueType.DURATION).setDurationValue(d.toNanos()).build();
    } else if (value instanceof Boolean b) {
      return v.setType(ValueType.BOOL).setBoolValue(b).build();
    }
    throw new IllegalArgumentException(
        "option '"
            + option
            + "': "
            + value.getClass().getName()
            + " is not a TICKscript value; use Long or Integer (INT), Double (DOUBLE), String"
            + " (STRING), Duration (DURATION) or Boolean (BOOL)");
  }

  /** TICKscript text for a value. */
  static String literal(OptionValue v) {
    return switch (v.getValueCase()) {
      case BOOLVALUE -> v.getBoolValue() ? "TRUE" : "FALSE";
      case INTVALUE -> Long.toString(v.getIntValue());
      case DOUBLEVALUE -> {
        String d = Double.toString(v.getDoubleValue());
        yield d.contains(".") || d.contains("E") || d.contains("N") || d.contains("I")
            ? d
            : d + ".0";
      }
      case STRINGVALUE -> "'" + v.getStringValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
      case DURATIONVALUE -> durationLiteral(v.getDurationValue());
      case VALUE_NOT_SET -> "\"<reference>\"";
    };
  }

  private static String durationLiteral(long nanos) {
    String[] units = {"w", "d", "h", "m", "s", "ms", "u"};
    long[] sizes = {
      604_800_000_000_000L,
      86_400_000_000_000L,
      3_600_000_000_000L,
      60_000_000_000L,
      1_000_000_000L,
      1_000_000L,
      1_000L
    };
    if (nanos == 0) return "0s";
    for (int i = 0; i < units.length; i++) {
      if (nanos % sizes[i] == 0) return (nanos / sizes[i]) + units[i];
    }
    return nanos + "ns";
  }

  static String callText(String name, List<OptionValue> args) {
    List<String> texts = new ArrayList<>();
    args.forEach(a -> texts.add(literal(a)));
    return "." + name + "(" + String.join(", ", texts) + ")";
  }

  /** Builds {@link TickOptions} call by call. */
  public static final class Builder {
    private final List<Call> calls = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a call, {@code .name(args…)}; no arguments makes a flag (for chaining).
     *
     * @throws IllegalArgumentException if the name is not a TICKscript identifier or a value has no
     *     TICKscript type
     */
    public Builder call(String name, Object... args) {
      Objects.requireNonNull(name, "name == null");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("not a TICKscript property name: \"" + name + "\"");
      }
      List<OptionValue> values = new ArrayList<>();
      for (Object arg : args) values.add(valueOf(name, arg));
      calls.add(new Call(name, values, callText(name, values)));
      return this;
    }

    /** Adds a call whose arguments are given as Kapacitor would type them (for chaining). */
    public Builder callValues(String name, List<OptionValue> args) {
      calls.add(new Call(name, args, callText(name, args)));
      return this;
    }

    public TickOptions build() {
      return new TickOptions(calls);
    }
  }
}
