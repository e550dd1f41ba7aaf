package io.pointdata.udf.examples;

import io.pointdata.udf.Option;
import io.pointdata.udf.Udf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The example UDFs of the jar: their command names, factories, defaults and option help. */
enum Example {
  TEMPERATURE(
      "temperature",
      ThresholdClassifier::temperature,
      "Forwards the anomalies of a stream: points whose field is below min or above max (both"
          + " strict).",
      "point_classifier",
      "point_data",
      Duration.ofSeconds(20),
      Map.of(
          "field", "the numeric field to test; an int field is read as its number",
          "min", "forward points whose field is below this",
          "max", "forward points whose field is above this")),
  HUMIDITY(
      "humidity",
      ThresholdClassifier::humidity,
      "Forwards the anomalies of a stream: points whose field is above max (strict), or below min"
          + " if set.",
      "humidity_classifier",
      "point_data",
      Duration.ofSeconds(20),
      Map.of(
          "field", "the numeric field to test; an int field is read as its number",
          "min", "if set, also forward points whose field is below this (default: no lower bound)",
          "max", "forward points whose field is above this")),
  RFC(
      "rfc",
      RandomForestClassifier::new,
      "Classifies robot log messages (JSON in a string field) with a seeded random forest: batch"
          + " in, stream out.",
      "rfc_classifier",
      "ts_data",
      Duration.ofSeconds(60),
      Map.of(
          "training",
              "a training CSV (39 feature columns, then label) to use instead of the bundled"
                  + " Log_rf.csv",
          "trees", "trees in the forest",
          "seed", "the forest's random seed: the same options give the same predictions",
          "field", "the string field holding the JSON message",
          "profiling",
              "add ts_kapacitor_udf_entry/exit and ts to each output"
                  + " (default: $"
                  + RandomForestClassifier.PROFILING_ENV
                  + " if set, else FALSE)",
          "strict", "fail the task at an unreadable message instead of skipping and counting it")),
  MOVING_AVG(
      "moving_avg",
      MovingAverage::new,
      "Kapacitor's moving_avg example: the moving average of a field over the last size points of"
          + " each group.",
      "moving_avg",
      "cpu",
      Duration.ofSeconds(10),
      Map.of(
          "field", "the numeric field to average; an int field is read as its number",
          "size", "how many of a group's last points to average, 1 to " + MovingAverage.MAX_SIZE,
          "as", "the output field holding the average; the other non-bool fields are dropped")),
  OUTLIERS(
      "outliers",
      Outliers::new,
      "Kapacitor's outliers example: per batch, the points outside Tukey's fences, as a batch.",
      "outliers",
      "cpu",
      Duration.ofSeconds(10),
      Map.of(
          "field", "the numeric field to test; an int field is read as its number",
          "scale", "the fences are the quartiles -/+ scale x IQR; at least 1.0"));

  private final String command;
  private final Supplier<? extends Udf> factory;
  private final String summary;
  private final String socketName;
  private final String measurement;
  private final Duration timeout;
  private final Map<String, String> optionHelp;

  Example(
      String command,
      Supplier<? extends Udf> factory,
      String summary,
      String socketName,
      String measurement,
      Duration timeout,
      Map<String, String> optionHelp) {
    this.command = command;
    this.factory = factory;
    this.summary = summary;
    this.socketName = socketName;
    this.measurement = measurement;
    this.timeout = timeout;
    this.optionHelp = optionHelp;
  }

  /** The example of a command name, if any. */
  static Optional<Example> named(String command) {
    return Arrays.stream(values()).filter(e -> e.command.equals(command)).findFirst();
  }

  /** The command, which is also the UDF's name in kapacitor.conf and TICKscripts. */
  String command() {
    return command;
  }

  Supplier<? extends Udf> factory() {
    return factory;
  }

  String summary() {
    return summary;
  }

  /** The measurement EII feeds it. */
  String measurement() {
    return measurement;
  }

  /** Kapacitor's keepalive timeout for the UDF: the rfc's Init trains a forest. */
  Duration timeout() {
    return timeout;
  }

  /**
   * The default socket: the original EII name in the temp dir ({@code $TMPDIR}, else
   * java.io.tmpdir).
   */
  Path defaultSocket() {
    String tmp = System.getenv("TMPDIR");
    if (tmp == null || tmp.isBlank()) tmp = System.getProperty("java.io.tmpdir");
    return Path.of(tmp, socketName);
  }

  /**
   * The help text of a declared option.
   *
   * @throws IllegalStateException if the option has none, so that help cannot fall behind the spec
   */
  String help(Option<?> option) {
    String help = optionHelp.get(option.name());
    if (help == null)
      throw new IllegalStateException(
          command + ": option '" + option.name() + "' has no help text");
    return help;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
