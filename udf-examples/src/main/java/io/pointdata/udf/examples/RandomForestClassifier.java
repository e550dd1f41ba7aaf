package io.pointdata.udf.examples;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Edge;
import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfException;
import io.pointdata.udf.UdfSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies robot log messages with a random forest: EII's {@code rfc} UDF. Wants batches,
 * provides a stream.
 *
 * <p>At Init it trains a forest on the training CSV (the bundled {@code Log_rf.csv} unless the
 * {@code training} option names another file), seeded, so the same options always give the same
 * predictions; connections with the same options share one forest. For each point of a batch it
 * reads the JSON in the string field {@code value}, predicts, and emits at the batch's end one
 * point per input point, in order: the batch's name, the point's time and tags plus {@code
 * assetId}, and the field {@code prediction} (0.0 or 1.0). With {@code profiling} on, it adds the
 * int fields {@code ts_kapacitor_udf_entry}/{@code ts_kapacitor_udf_exit} (epoch ms around the
 * prediction) and the input's {@code ts}.
 *
 * <p>A point whose message cannot be read is skipped, logged and counted; with {@code strict} it
 * fails the task instead, before anything of its batch is emitted.
 */
public final class RandomForestClassifier implements Udf {
  private static final Logger log = LoggerFactory.getLogger(RandomForestClassifier.class);

  static final String BUNDLED_TRAINING = "Log_rf.csv";
  static final String PROFILING_ENV = "PROFILING_MODE";

  /** Skipped points logged one by one before logging only every this many. */
  private static final int LOG_EVERY = 100;

  static final Option<String> TRAINING = Option.ofString("training").optional();
  static final Option<Integer> TREES =
      Option.ofInt("trees", 600).check(n -> n > 0 && n <= 100_000, "must be between 1 and 100000");
  static final Option<Long> SEED = Option.ofLong("seed", 20);
  static final Option<String> FIELD = Option.ofString("field", "value");
  static final Option<Boolean> PROFILING = Option.ofBool("profiling").optional();
  static final Option<Boolean> STRICT = Option.ofBool("strict", false);

  private static final UdfSpec SPEC =
      UdfSpec.wants(Edge.BATCH)
          .provides(Edge.STREAM)
          .options(TRAINING, TREES, SEED, FIELD, PROFILING, STRICT)
          .build();

  private static final ModelCache SHARED = new ModelCache(4);

  private final ModelCache cache;
  private final Function<String, String> env;

  private Forest forest;
  private LogFeatures messages;
  private String field;
  private boolean profiling;
  private boolean strict;
  private long pointsIn;
  private long skipped;

  /**
   * A classifier that reads {@code PROFILING_MODE} from the environment and shares trained forests.
   */
  public RandomForestClassifier() {
    this(SHARED, System::getenv);
  }

  RandomForestClassifier(ModelCache cache, Function<String, String> env) {
    this.cache = Objects.requireNonNull(cache, "cache == null");
    this.env = Objects.requireNonNull(env, "env == null");
  }

  @Override
  public UdfSpec spec() {
    return SPEC;
  }

  @Override
  public void init(InitContext context) throws Exception {
    field = context.get(FIELD);
    strict = context.get(STRICT);
    profiling = context.find(PROFILING).orElseGet(this::profilingFromEnv);
    int trees = context.get(TREES);
    long seed = context.get(SEED);
    String training = context.find(TRAINING).orElse(null);
    ModelCache.Key key =
        training == null
            ? new ModelCache.Key("bundled " + BUNDLED_TRAINING, 0, 0, trees, seed)
            : fileKey(Path.of(training), trees, seed);
    forest = cache.get(key, () -> train(training, trees, seed));
    messages = new LogFeatures(forest.features());
  }

  private boolean profilingFromEnv() {
    String value = env.apply(PROFILING_ENV);
    return value != null && Booleans.parse(value, "environment variable " + PROFILING_ENV);
  }

  private static ModelCache.Key fileKey(Path path, long trees, long seed) {
    try {
      // Size and time in the key: a changed file is trained again.
      return new ModelCache.Key(
          path.toAbsolutePath().toString(),
          Files.size(path),
          Files.getLastModifiedTime(path).toMillis(),
          trees,
          seed);
    } catch (NoSuchFileException e) {
      throw new UdfException("option 'training': no such file " + path.toAbsolutePath());
    } catch (IOException e) {
      throw new UdfException("option 'training': cannot read " + path.toAbsolutePath() + ": " + e);
    }
  }

  private static Forest train(String training, int trees, long seed) throws IOException {
    long start = System.nanoTime();
    TrainingSet set;
    if (training == null) {
      try (InputStream in = RandomForestClassifier.class.getResourceAsStream(BUNDLED_TRAINING)) {
        if (in == null)
          throw new IllegalStateException(BUNDLED_TRAINING + " is missing from the jar");
        set = TrainingSet.read(in, BUNDLED_TRAINING);
      }
    } else {
      try (InputStream in = Files.newInputStream(Path.of(training))) {
        set = TrainingSet.read(in, training);
      }
    }
    Forest forest = Forest.train(set, trees, seed);
    log.info(
        "trained a forest of {} trees (seed {}) on {} rows of {} in {} ms",
        trees,
        seed,
        set.size(),
        set.source(),
        (System.nanoTime() - start) / 1_000_000);
    return forest;
  }

  @Override
  public void batch(Batch batch, Emitter out) throws UdfException {
    // Predict the whole batch first: in strict mode a bad point fails it before anything is sent.
    List<Point> outputs = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Point point = batch.points().get(i);
      pointsIn++;
      long entry = System.currentTimeMillis();
      LogFeatures.Message message;
      try {
        message = read(point);
      } catch (LogFeatures.BadMessage e) {
        String problem =
            "point "
                + (i + 1)
                + " of "
                + batch.size()
                + " of batch '"
                + batch.name()
                + "' (time "
                + point.time()
                + "): field '"
                + field
                + "' "
                + e.getMessage();
        if (strict) throw new UdfException(problem);
        skip(problem);
        continue;
      }
      double prediction = forest.predict(message.features()).label();
      long exit = System.currentTimeMillis();
      outputs.add(output(batch, point, message.assetId(), prediction, entry, exit));
    }
    outputs.forEach(out::emit);
  }

  private LogFeatures.Message read(Point point) throws LogFeatures.BadMessage {
    String json =
        point
            .findString(field)
            .orElseThrow(
                () ->
                    new LogFeatures.BadMessage(
                        point.hasField(field) ? "is not a string" : "is missing"));
    return messages.read(json);
  }

  private Point output(
      Batch batch, Point point, String assetId, double prediction, long entry, long exit) {
    Point.Builder result =
        Point.named(batch.name())
            .time(point.time())
            .tags(point.tags())
            .tag("assetId", assetId)
            .field("prediction", prediction);
    if (profiling) {
      result.field("ts_kapacitor_udf_entry", entry).field("ts_kapacitor_udf_exit", exit);
      OptionalDouble ts = point.findDouble("ts");
      if (ts.isPresent()) result.field("ts", ts.getAsDouble());
    }
    return result.build();
  }

  private void skip(String problem) {
    skipped++;
    if (skipped <= 10 || skipped % LOG_EVERY == 0) {
      log.warn(
          "skipped {} ({} skipped so far{})",
          problem,
          skipped,
          skipped == 10 ? "; from now on every " + LOG_EVERY + "th is logged" : "");
    }
  }

  @Override
  public void close() {
    if (pointsIn > 0)
      log.info(
          "rfc: {} points in, {} predicted, {} skipped", pointsIn, pointsIn - skipped, skipped);
  }

  /** Points skipped so far because their message could not be read. */
  long skipped() {
    return skipped;
  }

  /** Whether this instance adds the profiling fields. */
  boolean profiling() {
    return profiling;
  }
}
