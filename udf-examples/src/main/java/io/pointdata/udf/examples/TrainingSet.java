package io.pointdata.udf.examples;

import io.pointdata.udf.UdfException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a numeric training CSV: a header of feature names ending in {@code label}, then one
 * row of numbers per example, the last one its class.
 *
 * <p>Feature names are dotted paths into the JSON a point carries: {@code Message.Log.Name1} is
 * {@code json["Message"]["Log"]["Name1"]}. Immutable.
 */
final class TrainingSet {
  static final String LABEL_COLUMN = "label";

  private final String source;
  private final List<String> features;
  private final List<double[]> rows;
  private final List<String> labels;

  private TrainingSet(
      String source, List<String> features, List<double[]> rows, List<String> labels) {
    this.source = source;
    this.features = List.copyOf(features);
    this.rows = List.copyOf(rows);
    this.labels = List.copyOf(labels);
  }

  /**
   * Reads a training CSV.
   *
   * @param source where it came from, for messages
   * @throws UdfException naming the line and column of the first problem
   */
  static TrainingSet read(InputStream csv, String source) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (header == null) throw new UdfException("training data " + source + " is empty");
    List<String> columns = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
    if (columns.size() < 2 || !columns.get(columns.size() - 1).equals(LABEL_COLUMN)) {
      throw new UdfException(
          "training data "
              + source
              + ": the header's last column must be '"
              + LABEL_COLUMN
              + "', got "
              + columns.get(columns.size() - 1));
    }
    List<String> features = columns.subList(0, columns.size() - 1);
    List<double[]> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int lineNumber = 1;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNumber++;
      if (line.isBlank()) continue;
      String[] cells = line.split(",", -1);
      if (cells.length != columns.size()) {
        throw new UdfException(
            "training data "
                + source
                + " line "
                + lineNumber
                + ": "
                + cells.length
                + " columns, the header has "
                + columns.size());
      }
      double[] row = new double[features.size()];
      for (int i = 0; i < row.length; i++)
        row[i] = number(cells[i], source, lineNumber, columns.get(i));
      rows.add(row);
      labels.add(label(cells[row.length], source, lineNumber));
    }
    if (rows.isEmpty())
      throw new UdfException("training data " + source + " has a header but no rows");
    if (labels.stream().distinct().count() < 2) {
      throw new UdfException(
          "training data "
              + source
              + " has a single class ("
              + labels.get(0)
              + "); a classifier needs two");
    }
    return new TrainingSet(source, features, rows, labels);
  }

  private static double number(String cell, String source, int line, String column) {
    try {
      double value = Double.parseDouble(cell.strip());
      if (Double.isFinite(value)) return value;
    } catch (NumberFormatException e) {
      // Reported below, with the position.
    }
    throw new UdfException(
        "training data "
            + source
            + " line "
            + line
            + " column "
            + column
            + ": not a finite number: '"
            + cell
            + "'");
  }

  /**
   * The class as written, normalised so that {@code 1}, {@code 1.0} and {@code 1e0} are one class.
   */
  private static String label(String cell, String source, int line) {
    double value = number(cell, source, line, LABEL_COLUMN);
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  String source() {
    return source;
  }

  /** The feature names, in file order. */
  List<String> features() {
    return features;
  }

  int size() {
    return rows.size();
  }

  /** The features of row {@code i}; a copy. */
  double[] row(int i) {
    return rows.get(i).clone();
  }

  /**
   * Row {@code row} as the robot log message {@link LogFeatures} reads, of asset {@code assetId}.
   */
  String logMessage(int row, String assetId) {
    StringBuilder log = new StringBuilder();
    double[] values = row(row);
    for (int f = 0; f < values.length; f++) {
      String key = features.get(f);
      key = key.substring(key.lastIndexOf('.') + 1);
      log.append(f == 0 ? "" : ",").append('"').append(key).append("\":").append(values[f]);
    }
    return "{\"NameOFLog\":\"" + assetId + "\",\"Message\":{\"Log\":{" + log + "}}}";
  }

  /** The class of row {@code i}, e.g. {@code "1"}. */
  String label(int i) {
    return labels.get(i);
  }
}
