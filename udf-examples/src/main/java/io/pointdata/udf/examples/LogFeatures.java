package io.pointdata.udf.examples;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * Reads a robot log message, the JSON EII's publisher puts in a point's {@code value} field: the
 * asset from {@code NameOFLog} and the forest's features from their dotted paths, e.g. {@code
 * Message.Log.Name1}. Other keys (the long {@code C1}/{@code C2} series) are ignored. Thread-safe.
 */
final class LogFeatures {
  static final String ASSET_KEY = "NameOFLog";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final List<String> paths;
  private final List<String[]> steps;

  LogFeatures(List<String> paths) {
    this.paths = List.copyOf(paths);
    this.steps = this.paths.stream().map(p -> p.split("\\.")).toList();
  }

  /** One message's asset and features, in the order of the paths. */
  record Message(String assetId, double[] features) {}

  /** Why a message cannot be read; the point is skipped, or the task failed in strict mode. */
  static final class BadMessage extends Exception {
    private static final long serialVersionUID = 1L;

    BadMessage(String message) {
      super(message);
    }
  }

  Message read(String json) throws BadMessage {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new BadMessage("is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) throw new BadMessage("is not a JSON object");
    JsonNode asset = root.get(ASSET_KEY);
    if (asset == null || !asset.isTextual()) {
      throw new BadMessage(
          asset == null
              ? "has no '" + ASSET_KEY + "'"
              : "has a non-string '" + ASSET_KEY + "': " + asset);
    }
    double[] features = new double[paths.size()];
    for (int i = 0; i < features.length; i++) {
      JsonNode node = root;
      for (String step : steps.get(i)) node = node.path(step);
      if (!node.isNumber()) {
        throw new BadMessage(
            node.isMissingNode()
                ? "has no feature '" + paths.get(i) + "'"
                : "has a non-numeric feature '" + paths.get(i) + "': " + node);
      }
      features[i] = node.doubleValue();
    }
    return new Message(asset.textValue(), features);
  }
}
