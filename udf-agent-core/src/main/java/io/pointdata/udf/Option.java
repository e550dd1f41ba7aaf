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
 * static final Option<Integer> TREES = Option.ofInt("trees", 600).check(n -> n > 0, "must be positive");
 * static final Option<Long> SEED = Option.ofLong("seed", 20);              // the whole INT range
 * static final Option<Duration> WINDOW = Option.ofDuration("window").optional();
 * static final Option<Boolean> STRICT = Option.flag("strict");               // .strict()
 * }</pre>
 *
 * <p>Instances are immutable; the modifiers return new options.
 *
 * <p>A TICKscript INT is 64 bits. {@link #ofInt} reads it as an {@code Integer} and refuses, at
 * Init, a value that does not fit one; {@link #ofLong} takes the whole range.
 *
 * @param <T> the Java type of the value: Boolean, Integer, Long, Double, String or Duration
 */
public final class Option<T> {
  /** The TICKscript type of an option's value. */
  public enum Type {
    BOOL(UdfProto.ValueType.BOOL),
    /** A 64-bit integer, read by {@link #ofInt} (range-checked) or {@link #ofLong}. */
    INT(UdfProto.ValueType.INT),
    DOUBLE(UdfProto.ValueType.DOUBLE),
    STRING(UdfProto.ValueType.STRING),
    DURATION(UdfProto.ValueType.DURATION);

    private final UdfProto.ValueType wire;

    Type(UdfProto.ValueType wire) {
      this.wire = wire;
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

  /** What {@link #decode} returns: Integer for {@link #ofInt}, whose values are range-checked. */
  private final Class<T> javaType;

  private final T defaultValue;
  private final boolean required;
  private final boolean repeatable;
  private final List<Check<T>> checks;

  private record Check<T>(Predicate<? super T> test, String message) {}

  private Option(
      String name,
      Type type,
      Class<T> javaType,
      T defaultValue,
      boolean required,
      boolean repeatable,
      List<Check<T>> checks) {
    this.name = name;
    this.type = type;
    this.javaType = javaType;
    this.defaultValue = defaultValue;
    this.required = required;
    this.repeatable = repeatable;
    this.checks = List.copyOf(checks);
  }

  private static <T> Option<T> create(String name, Type type, Class<T> javaType, T defaultValue) {
    requireValidName(name);
    return new Option<>(name, type, javaType, defaultValue, defaultValue == null, false, List.of());
  }

  private static void requireValidName(String name) {
    Objects.requireNonNull(name, "name == null");
    // TICKscript property methods are identifiers.
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "option name is not a TICKscript identifier: \"" + name + "\"");
    }
  }

  /**
   * A required STRING option.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<String> ofString(String name) {
    return create(name, Type.STRING, String.class, null);
  }

  /**
   * A STRING option with a default.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null or the default is null
   */
  public static Option<String> ofString(String name, String defaultValue) {
    return create(
        name,
        Type.STRING,
        String.class,
        Objects.requireNonNull(defaultValue, "defaultValue == null"));
  }

  /**
   * A required DOUBLE option ({@code .max(25.0)}; TICKscript does not accept {@code 25} here).
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Double> ofDouble(String name) {
    return create(name, Type.DOUBLE, Double.class, null);
  }

  /**
   * A DOUBLE option with a default.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Double> ofDouble(String name, double defaultValue) {
    return create(name, Type.DOUBLE, Double.class, defaultValue);
  }

  /**
   * A required INT option read as an int ({@code .size(10)}). Kapacitor's INT is 64 bits: a value
   * outside {@code Integer.MIN_VALUE} to {@code Integer.MAX_VALUE} is refused at Init, naming the
   * option, the value and the range. For the whole range use {@link #ofLong(String)}.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Integer> ofInt(String name) {
    return create(name, Type.INT, Integer.class, null);
  }

  /**
   * An INT option read as an int, with a default; values that do not fit an int are refused at
   * Init, as by {@link #ofInt(String)}.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Integer> ofInt(String name, int defaultValue) {
    return create(name, Type.INT, Integer.class, defaultValue);
  }

  /**
   * A required INT option read as a long: the whole 64-bit range of Kapacitor's INT ({@code
   * .seed(20)}).
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Long> ofLong(String name) {
    return create(name, Type.INT, Long.class, null);
  }

  /**
   * An INT option read as a long, with a default.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Long> ofLong(String name, long defaultValue) {
    return create(name, Type.INT, Long.class, defaultValue);
  }

  /**
   * A required BOOL option ({@code .enabled(TRUE)}).
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Boolean> ofBool(String name) {
    return create(name, Type.BOOL, Boolean.class, null);
  }

  /**
   * A BOOL option with a default.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Boolean> ofBool(String name, boolean defaultValue) {
    return create(name, Type.BOOL, Boolean.class, defaultValue);
  }

  /**
   * A required DURATION option ({@code .period(10s)}); Kapacitor sends nanoseconds.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Duration> ofDuration(String name) {
    return create(name, Type.DURATION, Duration.class, null);
  }

  /**
   * A DURATION option with a default.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null or the default is null
   */
  public static Option<Duration> ofDuration(String name, Duration defaultValue) {
    return create(
        name,
        Type.DURATION,
        Duration.class,
        Objects.requireNonNull(defaultValue, "defaultValue == null"));
  }

  /**
   * A flag, called with no arguments ({@code .strict()}): true when given, false otherwise.
   *
   * @throws IllegalArgumentException if the name is not a TICKscript identifier
   * @throws NullPointerException if the name is null
   */
  public static Option<Boolean> flag(String name) {
    requireValidName(name);
    return new Option<>(name, null, Boolean.class, false, false, false, List.of());
  }

  /**
   * This option, but not required and without a default: {@link InitContext#find} tells if it was
   * set.
   *
   * @throws IllegalStateException if this is a {@link #flag}, which is never required and is false
   *     when not given
   */
  public Option<T> optional() {
    if (isFlag()) {
      throw new IllegalStateException(
          "option '" + name + "' is a flag: it is already optional, false unless given");
    }
    return new Option<>(name, type, javaType, null, false, repeatable, checks);
  }

  /**
   * This option, allowed several times ({@code .tag('a').tag('b')}); read all with {@link
   * InitContext#getAll}.
   *
   * @throws IllegalStateException if this is a {@link #flag}, which is either given or not
   */
  public Option<T> repeatable() {
    if (isFlag()) {
      throw new IllegalStateException(
          "option '" + name + "' is a flag: it is either given or not, it cannot repeat");
    }
    return new Option<>(name, type, javaType, defaultValue, required, true, checks);
  }

  /**
   * This option with a check of its value. A failing check is reported at Init as {@code option
   * 'name' <message>, got <value>}.
   *
   * @throws NullPointerException if the test or the message is null
   */
  public Option<T> check(Predicate<? super T> test, String message) {
    Objects.requireNonNull(test, "test == null");
    Objects.requireNonNull(message, "message == null");
    List<Check<T>> more = new ArrayList<>(checks);
    more.add(new Check<>(test, message));
    return new Option<>(name, type, javaType, defaultValue, required, repeatable, more);
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

  /**
   * Why a wire value of the right type does not fit this option's Java type, e.g. {@code must fit
   * an int (-2147483648 to 2147483647)}, or null if it fits.
   */
  String outOfRange(UdfProto.OptionValue value) {
    if (javaType != Integer.class
        || value.getValueCase() != UdfProto.OptionValue.ValueCase.INTVALUE) return null;
    long n = value.getIntValue();
    if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return null;
    return "must fit an int (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")";
  }

  /** Converts a wire value of the right type, and in range, to this option's Java type. */
  T decode(UdfProto.OptionValue value) {
    Object decoded =
        switch (value.getValueCase()) {
          case BOOLVALUE -> value.getBoolValue();
          case INTVALUE ->
              javaType == Integer.class
                  ? (Object) Math.toIntExact(value.getIntValue())
                  : (Object) value.getIntValue();
          case DOUBLEVALUE -> value.getDoubleValue();
          case STRINGVALUE -> value.getStringValue();
          case DURATIONVALUE -> Duration.ofNanos(value.getDurationValue());
          case VALUE_NOT_SET -> null;
        };
    return javaType.cast(decoded);
  }

  @Override
  public String toString() {
    return "Option(" + name + (type == null ? ", flag" : ", " + type) + ")";
  }
}
