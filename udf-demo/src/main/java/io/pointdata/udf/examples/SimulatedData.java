package io.pointdata.udf.examples;

import io.pointdata.udf.Point;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What EII's MQTT publisher sends, as the points Telegraf writes and Kapacitor streams: sensor
 * readings ({@code point_data}) and robot log messages ({@code ts_data}). Seeded, so a run repeats.
 */
final class SimulatedData {
  static final String HOST = "ia_telegraf";
  static final String SENSOR_TOPIC = "temperature/simulated/0";
  static final String LOG_TOPIC = "test/rfc_data";
  private static final long SECOND = 1_000_000_000L;

  /** A robot log message and the class the forest must give it (null for an unreadable one). */
  record LogMessage(String label, String json, Double expected) {}

  private final Random random;
  private final long start;

  /**
   * Data starting at {@code startNanos}, one message per second, as the publisher's --interval 1.
   */
  SimulatedData(long seed, long startNanos) {
    this.random = new Random(seed);
    this.start = startNanos;
  }

  /**
   * Sensor reading {@code i}: temperature and humidity uniform in [10, 30), as the publisher's
   * {@code --temperature 10:30 --humidity 10:30}; {@code ts} is the publisher's clock in seconds,
   * the point's time Telegraf's receive time.
   */
  Point sensorReading(int i) {
    long time = start + i * SECOND;
    return Point.named("point_data")
        .database("datain")
        .retentionPolicy("autogen")
        .time(time)
        .tag("host", HOST)
        .tag("topic", SENSOR_TOPIC)
        .field("ts", (time - 2_000_000L) / 1e9)
        .field("temperature", 10 + 20 * random.nextDouble())
        .field("humidity", 10 + 20 * random.nextDouble())
        .build();
  }

  /**
   * The robot log messages, {@code count} of them: the publisher's three sample files and the three
   * distinct rows of the training set in turn, and one message cut short halfway through the run.
   */
  static List<LogMessage> logMessages(int count) {
    List<LogMessage> known = new ArrayList<>();
    for (int n = 1; n <= 3; n++)
      known.add(new LogMessage("data" + n + ".json", resource("samples/data" + n + ".json"), 1.0));
    TrainingSet training = bundledTraining();
    String[] rows = {"A", "B", "C"};
    for (int r = 0; r < 3; r++) {
      known.add(
          new LogMessage(
              "training row " + rows[r],
              training.logMessage(r, "row-" + rows[r]),
              Double.valueOf(training.label(r))));
    }
    List<LogMessage> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) messages.add(known.get(i % known.size()));
    if (count >= 4) {
      String sample = known.get(0).json();
      messages.set(
          count / 2,
          new LogMessage("a truncated message", sample.substring(0, sample.length() / 2), null));
    }
    return messages;
  }

  /**
   * Log message {@code i} as the {@code ts_data} point Kapacitor puts in a window: time, tags,
   * fields.
   */
  Point logPoint(int i, LogMessage message) {
    long time = start + i * SECOND;
    return Point.builder()
        .time(time)
        .tag("host", HOST)
        .tag("topic", LOG_TOPIC)
        .field("ts", (time - 2_000_000L) / 1e9)
        .field("value", message.json())
        .build();
  }

  long timeOf(int i) {
    return start + i * SECOND;
  }

  private static TrainingSet bundledTraining() {
    try (InputStream in =
        RandomForestClassifier.class.getResourceAsStream(RandomForestClassifier.BUNDLED_TRAINING)) {
      return TrainingSet.read(in, RandomForestClassifier.BUNDLED_TRAINING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = RandomForestClassifier.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
