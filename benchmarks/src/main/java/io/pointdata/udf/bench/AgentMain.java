package io.pointdata.udf.bench;

import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.examples.ThresholdClassifier;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Runs a benchmark UDF as Kapacitor would: {@code AgentMain passthrough|threshold [--socket PATH]};
 * {@code threshold} is the example temperature classifier (forwards t &lt; 20 or t &gt; 25).
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1)
      throw new IllegalArgumentException("usage: passthrough|threshold [--socket PATH]");
    UdfAgent.main(Arrays.copyOfRange(args, 1, args.length), udf(args[0]));
  }

  static Supplier<Udf> udf(String name) {
    return switch (name) {
      case "passthrough" -> PassThrough::new;
      case "threshold" -> ThresholdClassifier::temperature;
      default ->
          throw new IllegalArgumentException(
              "unknown UDF '" + name + "'; use passthrough or threshold");
    };
  }
}
