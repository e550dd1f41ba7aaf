package io.pointdata.udf;

import io.pointdata.udf.proto.UdfProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Udf#init} is given: the checked option values and the task's identity.
 *
 * <p>Created by the agent from Kapacitor's Init after checking it against the {@link UdfSpec}; a
 * required option is therefore always present and every value has its declared type.
 */
public final class InitContext {
  private final UdfSpec spec;
  private final Map<String, List<Object>> values;
  private final String taskId;
  private final String nodeId;
  private Duration timerPeriod;

  private InitContext(
      UdfSpec spec, Map<String, List<Object>> values, String taskId, String nodeId) {
    this.spec = spec;
    this.values = values;
    this.taskId = taskId;
    this.nodeId = nodeId;
  }

  /**
   * Checks Kapacitor's Init options against a spec.
   *
   * @throws UdfException listing every problem, separated by "; "
   */
  static InitContext check(UdfSpec spec, UdfProto.InitRequest request) {
    List<String> problems = new ArrayList<>();
    Map<String, List<Object>> values = new LinkedHashMap<>();
    // How often each declared option was given, valid or not: an invalid value is not also
    // "missing".
    Map<String, Integer> timesGiven = new LinkedHashMap<>();
    for (UdfProto.Option given : request.getOptionsList()) {
      Option<?> option = spec.options().get(given.getName());
      if (option == null) {
        problems.add("unknown option '" + given.getName() + "'" + knownOptions(spec));
        continue;
      }
      timesGiven.merge(option.name(), 1, Integer::sum);
      Object value = decodeOne(option, given, problems);
      if (value != null) values.computeIfAbsent(option.name(), k -> new ArrayList<>()).add(value);
    }
    for (Option<?> option : spec.options().values()) {
      int times = timesGiven.getOrDefault(option.name(), 0);
      if (times == 0 && option.isRequired()) {
        problems.add("option '" + option.name() + "' is required");
      } else if (times > 1 && !option.isRepeatable()) {
        problems.add("option '" + option.name() + "' is given " + times + " times; it takes one");
      }
    }
    if (!problems.isEmpty()) throw new UdfException(String.join("; ", problems));
    values.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return new InitContext(spec, values, request.getTaskID(), request.getNodeID());
  }

  private static String knownOptions(UdfSpec spec) {
    return spec.options().isEmpty()
        ? " (this UDF takes no options)"
        : " (known: " + String.join(", ", spec.options().keySet()) + ")";
  }

  private static <T> Object decodeOne(
      Option<T> option, UdfProto.Option given, List<String> problems) {
    String name = option.name();
    if (option.isFlag()) {
      if (given.getValuesCount() != 0) {
        problems.add(
            "option '" + name + "' is a flag and takes no value, got " + given.getValuesCount());
        return null;
      }
      return Boolean.TRUE;
    }
    if (given.getValuesCount() != 1) {
      problems.add("option '" + name + "' takes 1 value, got " + given.getValuesCount());
      return null;
    }
    UdfProto.OptionValue value = given.getValues(0);
    Option.Type actual = typeOf(value);
    if (actual != option.type()) {
      problems.add(
          "option '"
              + name
              + "' must be "
              + option.type()
              + ", got "
              + (actual == null ? "no value" : actual));
      return null;
    }
    String outOfRange = option.outOfRange(value);
    if (outOfRange != null) {
      problems.add("option '" + name + "' " + outOfRange + ", got " + value.getIntValue());
      return null;
    }
    T decoded = option.decode(value);
    String failed = option.firstFailedCheck(decoded);
    if (failed != null) {
      // Strings as a TICKscript writes them, so an empty one is visible: got ''.
      Object shown = decoded instanceof String text ? "'" + text + "'" : decoded;
      problems.add("option '" + name + "' " + failed + ", got " + shown);
      return null;
    }
    return decoded;
  }

  /**
   * The type of the value actually carried (the oneof case), not the type field, which may
   * disagree.
   */
  private static Option.Type typeOf(UdfProto.OptionValue value) {
    return switch (value.getValueCase()) {
      case BOOLVALUE -> Option.Type.BOOL;
      case INTVALUE -> Option.Type.INT;
      case DOUBLEVALUE -> Option.Type.DOUBLE;
      case STRINGVALUE -> Option.Type.STRING;
      case DURATIONVALUE -> Option.Type.DURATION;
      case VALUE_NOT_SET -> null;
    };
  }

  /**
   * The option's value: the last one given, else its default.
   *
   * @throws IllegalArgumentException if the option is not in the spec
   * @throws IllegalStateException if it is {@link Option#optional()} and was not given; use {@link
   *     #find}
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    List<Object> given = given(option);
    if (given != null) return (T) given.get(given.size() - 1);
    if (option.defaultValue() != null) return option.defaultValue();
    throw new IllegalStateException(
        "option '" + option.name() + "' was not given and has no default; use find()");
  }

  /** The option's value if it was given, else its default, else empty. */
  public <T> Optional<T> find(Option<T> option) {
    List<Object> given = given(option);
    if (given != null) {
      @SuppressWarnings("unchecked")
      T last = (T) given.get(given.size() - 1);
      return Optional.of(last);
    }
    return Optional.ofNullable(option.defaultValue());
  }

  /** Every value given for a {@link Option#repeatable()} option, in call order; empty if none. */
  @SuppressWarnings("unchecked")
  public <T> List<T> getAll(Option<T> option) {
    List<Object> given = given(option);
    return given == null ? List.of() : (List<T>) given;
  }

  /** Whether the TICKscript set the option. */
  public boolean isSet(Option<?> option) {
    return given(option) != null;
  }

  private List<Object> given(Option<?> option) {
    Objects.requireNonNull(option, "option == null");
    if (!spec.options().containsKey(option.name())) {
      throw new IllegalArgumentException(
          "option '" + option.name() + "' is not declared in this UDF's spec");
    }
    return values.get(option.name());
  }

  /** Kapacitor's task id; empty when the peer did not send one. */
  public String taskId() {
    return taskId;
  }

  /** Kapacitor's node id within the task; empty when the peer did not send one. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Sets how often {@link Udf#timer} is called for this connection, overriding the spec's {@link
   * UdfSpec.Builder#timer period}: for a period the TICKscript chooses, e.g. an option {@code
   * .every(10s)}. Takes effect once {@code init} returns.
   *
   * @throws NullPointerException if the period is null
   * @throws IllegalArgumentException if the period is under a millisecond
   */
  public void timer(Duration period) {
    this.timerPeriod = UdfSpec.checkTimerPeriod(period);
  }

  /** The period set by {@link #timer}, or null. */
  Duration timerPeriod() {
    return timerPeriod;
  }
}
