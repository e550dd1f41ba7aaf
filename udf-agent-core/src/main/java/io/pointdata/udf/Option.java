package io.pointdata.udf;

import io.pointdata.udf.proto.UdfProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A typed option of a UDF, set in a TICKscript as {@code @myUdf().name(value)}.
 *
 * <p>Options are declared as constants and listed in the {@link UdfSpec}; the spec generates the
 * option list of Kapacitor's Info, and the agent checks Kapacitor's Init against it before {@link
 * Udf#init} runs, answering with one message that lists every problem. Read values with {@link
 * InitContext#get(Option)}.
 *
 * <pre>{@code
 * static final Option<String> FIELD = Option.ofString("field");               // required
 * static final Option<Double> MAX = Option.ofDouble("max", 25.0);            // default 25.0
 * static final Option<Long> TREES = Option.ofInt("trees", 600).check(n -> n > 0, "must be positive");
 * static final Option<Duration> WINDOW = Option.ofDuration("window").optional();
 * static final Option<Boolean> STRICT = Option.flag("strict");               // .strict()
 * }</pre>
 *
 * <p>Instances are immutable; the modifiers return new options.
 *
 * @param <T> the Java type of the value: Boolean, Long, Double, String or Duration
 */
public final class Option<T> {
  /** The TICKscript type of an option's value. */
  public enum Type {
    BOOL(UdfProto.ValueType.BOOL, Boolean.class),
    INT(UdfProto.ValueType.INT, Long.class),
    DOUBLE(UdfProto.ValueType.DOUBLE, Double.class),
    STRING(UdfProto.ValueType.STRING, String.class),
    DURATION(UdfProto.ValueType.DURATION, Duration.class);

    private final UdfProto.ValueType wire;
    private final Class<?> javaType;

    Type(UdfProto.ValueType wire, Class<?> javaType) {
      this.wire = wire;
      this.javaType = javaType;
    }

    UdfProto.ValueType wire() {
      return wire;
    }

    static Type of(UdfProto.ValueType wire) {
      for (Type t : values()) {
        if (t.wire == wire) return t;
      }
      throw new IllegalArgumentException("unknown value type " + wire);
    }
  }

  private final String name;

  /** Null for a flag, which is called with no arguments. */
  private final Type type;

  private final T defaultValue;
  private final boolean required;
  private final boolean repeatable;
  private final List<Check<T>> checks;

  private record Check<T>(Predicate<? super T> test, String message) {}

  private Option(
      String name,
      Type type,
      T defaultValue,
      boolean required,
      boolean repeatable,
      List<Check<T>> checks) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.required = required;
    this.repeatable = repeatable;
    this.checks = List.copyOf(checks);
  }

  private static <T> Option<T> create(String name, Type type, T defaultValue) {
    requireValidName(name);
    return new Option<>(name, type, defaultValue, defaultValue == null, false, List.of());
  }

  private static void requireValidName(String name) {
    Objects.requireNonNull(name, "name == null");
    // TICKscript property methods are identifiers.
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "option name is not a TICKscript identifier: \"" + name + "\"");
    }
  }

  /** A required STRING option. */
  public static Option<String> ofString(String name) {
    return create(name, Type.STRING, null);
  }

  /** A STRING option with a default. */
  public static Option<String> ofString(String name, String defaultValue) {
    return create(name, Type.STRING, Objects.requireNonNull(defaultValue, "defaultValue == null"));
  }

  /** A required DOUBLE option ({@code .max(25.0)}; TICKscript does not accept {@code 25} here). */
  public static Option<Double> ofDouble(String name) {
    return create(name, Type.DOUBLE, null);
  }

  /** A DOUBLE option with a default. */
  public static Option<Double> ofDouble(String name, double defaultValue) {
    return create(name, Type.DOUBLE, defaultValue);
  }

  /** A required INT option ({@code .size(10)}). */
  public static Option<Long> ofInt(String name) {
    return create(name, Type.INT, null);
  }

  /** An INT option with a default. */
  public static Option<Long> ofInt(String name, long defaultValue) {
    return create(name, Type.INT, defaultValue);
  }

  /** A required BOOL option ({@code .enabled(TRUE)}). */
  public static Option<Boolean> ofBool(String name) {
    return create(name, Type.BOOL, null);
  }

  /** A BOOL option with a default. */
  public static Option<Boolean> ofBool(String name, boolean defaultValue) {
    return create(name, Type.BOOL, defaultValue);
  }

  /** A required DURATION option ({@code .period(10s)}); Kapacitor sends nanoseconds. */
  public static Option<Duration> ofDuration(String name) {
    return create(name, Type.DURATION, null);
  }

  /** A DURATION option with a default. */
  public static Option<Duration> ofDuration(String name, Duration defaultValue) {
    return create(
        name, Type.DURATION, Objects.requireNonNull(defaultValue, "defaultValue == null"));
  }

  /** A flag, called with no arguments ({@code .strict()}): true when given, false otherwise. */
  public static Option<Boolean> flag(String name) {
    requireValidName(name);
    return new Option<>(name, null, false, false, false, List.of());
  }

  /**
   * This option, but not required and without a default: {@link InitContext#find} tells if it was
   * set.
   */
  public Option<T> optional() {
    return new Option<>(name, type, null, false, repeatable, checks);
  }

  /**
   * This option, allowed several times ({@code .tag('a').tag('b')}); read all with {@link
   * InitContext#getAll}.
   */
  public Option<T> repeatable() {
    return new Option<>(name, type, defaultValue, required, true, checks);
  }

  /**
   * This option with a check of its value. A failing check is reported at Init as {@code option
   * 'name' <message>, got <value>}.
   */
  public Option<T> check(Predicate<? super T> test, String message) {
    Objects.requireNonNull(test, "test == null");
    Objects.requireNonNull(message, "message == null");
    List<Check<T>> more = new ArrayList<>(checks);
    more.add(new Check<>(test, message));
    return new Option<>(name, type, defaultValue, required, repeatable, more);
  }

  public String name() {
    return name;
  }

  /** The value's type, or null for a {@link #flag}. */
  public Type type() {
    return type;
  }

  public boolean isFlag() {
    return type == null;
  }

  public boolean isRequired() {
    return required;
  }

  public boolean isRepeatable() {
    return repeatable;
  }

  /** The default, or null if there is none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The option's entry in Kapacitor's Info: its value types. */
  UdfProto.OptionInfo info() {
    UdfProto.OptionInfo.Builder info = UdfProto.OptionInfo.newBuilder();
    if (type != null) info.addValueTypes(type.wire());
    return info.build();
  }

  /** Returns the failed check's message for a value, or null if every check passes. */
  String firstFailedCheck(T value) {
    for (Check<T> c : checks) {
      if (!c.test().test(value)) return c.message();
    }
    return null;
  }

  /** Converts a wire value of the right type to this option's Java type. */
  @SuppressWarnings("unchecked")
  T decode(UdfProto.OptionValue value) {
    Object decoded =
        switch (value.getValueCase()) {
          case BOOLVALUE -> value.getBoolValue();
          case INTVALUE -> value.getIntValue();
          case DOUBLEVALUE -> value.getDoubleValue();
          case STRINGVALUE -> value.getStringValue();
          case DURATIONVALUE -> Duration.ofNanos(value.getDurationValue());
          case VALUE_NOT_SET -> null;
        };
    return (T) type.javaType.cast(decoded);
  }

  @Override
  public String toString() {
    return "Option(" + name + (type == null ? ", flag" : ", " + type) + ")";
  }
}
