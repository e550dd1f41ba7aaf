package io.pointdata.udf.examples;

import static io.pointdata.udf.examples.RfcInputs.batch;
import static io.pointdata.udf.examples.RfcInputs.point;
import static io.pointdata.udf.examples.RfcInputs.sample;
import static io.pointdata.udf.examples.RfcInputs.trainingRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.FakeKapacitorExtension;
import io.pointdata.udf.testing.InitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RandomForestClassifierTest {
  /** Forests trained with the default options are shared by the tests that need no fresh one. */
  private static final ModelCache SHARED = new ModelCache(4);

  /** The instance of the latest session: the task's, after Kapacitor's start-up one. */
  private static final AtomicReference<RandomForestClassifier> latest = new AtomicReference<>();

  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forUdf(() -> rfc(SHARED, Map.of()));

  @TempDir Path dir;

  private static RandomForestClassifier rfc(ModelCache cache, Map<String, String> env) {
    RandomForestClassifier udf = new RandomForestClassifier(cache, env::get);
    latest.set(udf);
    return udf;
  }

  /** A fake Kapacitor for an rfc with its own forest cache and environment. */
  private static FakeKapacitor rfcWith(ModelCache cache, Map<String, String> env) {
    return FakeKapacitor.forUdf(() -> rfc(cache, env));
  }

  private static List<Double> predictions(List<Point> outputs) {
    return outputs.stream().map(p -> p.doubleField("prediction")).toList();
  }

  @Test
  void predictsTrainingRowsAAndBAsOneAndRowCAsZero(FakeKapacitor k) throws Exception {
    k.init(Map.of());
    k.sendBatch(
        batch(
            List.of(
                point(1, trainingRow(0, "rowA")),
                point(2, trainingRow(1, "rowB")),
                point(3, trainingRow(2, "rowC")))));
    List<Point> out = k.takePoints(3);
    assertEquals(List.of(1.0, 1.0, 0.0), predictions(out));
    assertEquals(List.of("rowA", "rowB", "rowC"), out.stream().map(p -> p.tag("assetId")).toList());
    k.assertNoMorePoints();
  }

  @Test
  void predictsTheSampleMessagesAsOne(FakeKapacitor k) throws Exception {
    k.init(Map.of());
    k.sendBatch(batch(List.of(point(1, sample(1)), point(2, sample(2)), point(3, sample(3)))));
    assertEquals(List.of(1.0, 1.0, 1.0), predictions(k.takePoints(3)));
  }

  @Test
  void sameSeedGivesIdenticalOutputOnTwoRuns() throws Exception {
    List<Point> inputs = new ArrayList<>();
    for (int i = 0; i < 3; i++) inputs.add(point(10 + i, trainingRow(i, "row" + i)));
    for (int i = 1; i <= 3; i++) inputs.add(point(20 + i, sample(i)));
    List<List<Point>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ModelCache fresh = new ModelCache(1);
      try (FakeKapacitor k = rfcWith(fresh, Map.of())) {
        k.init(".seed(7)");
        k.sendBatch(batch(inputs));
        runs.add(k.takePoints(inputs.size()));
        k.assertNoMorePoints();
      }
      assertEquals(1, fresh.trainings(), "each run trains its own forest");
    }
    assertEquals(runs.get(0), runs.get(1));
  }

  @Test
  void outputIsOneStreamPointPerInputWithItsOwnTimeAndTags(FakeKapacitor k) throws Exception {
    k.init(Map.of());
    k.sendBatch(
        batch(
            List.of(
                Point.builder().time(5).tag("host", "A").field("value", sample(1)).build(),
                Point.builder()
                    .time(6)
                    .tag("host", "B")
                    .tag("x", "1")
                    .field("value", sample(2))
                    .build())));
    assertEquals(
        List.of(
            Point.named("ts_data")
                .time(5)
                .tag("host", "A")
                .tag("assetId", "ROB1-1")
                .field("prediction", 1.0)
                .build(),
            Point.named("ts_data")
                .time(6)
                .tag("host", "B")
                .tag("x", "1")
                .tag("assetId", "ROB1-1")
                .field("prediction", 1.0)
                .build()),
        k.takePoints(2));
  }

  @Test
  void emptyBatchEmitsNothing(FakeKapacitor k) {
    k.init(Map.of());
    k.sendBatch(batch(List.of()));
    k.assertNoMorePoints();
  }

  @Test
  void unreadablePointsAreSkippedAndCounted(FakeKapacitor k) throws Exception {
    k.init(Map.of());
    String good = sample(1);
    k.sendBatch(
        batch(
            List.of(
                Point.builder().time(1).field("ts", 1.0).build(), // no value
                point(2, "{not json"),
                point(3, good.replace("\"Name7\":30.09,", "")), // a feature missing
                point(4, good.replace("\"Name7\":30.09", "\"Name7\":null")), // a null feature
                point(5, good.replace("\"NameOFLog\":\"ROB1-1\",", "")), // no asset
                point(6, good.replace("\"NameOFLog\":\"ROB1-1\"", "\"NameOFLog\":7")),
                Point.builder().time(7).field("value", 3.0).build(), // value not a string
                point(8, good))));
    assertEquals(8, k.takePoint().time());
    k.assertNoMorePoints();
    assertEquals(7, latest.get().skipped());
  }

  @Test
  void strictFailsTheTaskAtAnUnreadablePointBeforeEmittingItsBatch(FakeKapacitor k)
      throws Exception {
    k.init(".strict(TRUE)");
    k.sendBatch(batch(List.of(point(1, sample(1)), point(2, "{}"))));
    assertEquals(
        "error processing request of type end: point 2 of 2 of batch 'ts_data' (time 2): field"
            + " 'value' has no 'NameOFLog'",
        k.awaitFailure());
    assertTrue(k.session().pollOutput().isEmpty(), "nothing of the batch was emitted");
  }

  @Test
  void profilingAddsTimesAndTheInputTsOnlyWhenPresent(FakeKapacitor k) throws Exception {
    k.init(".profiling(TRUE)");
    k.sendBatch(
        batch(
            List.of(
                point(1_650_000_000_000_000_000L, sample(1)),
                Point.builder().time(2).field("value", sample(2)).build())));
    List<Point> out = k.takePoints(2);
    assertEquals(1.65e9, out.get(0).doubleField("ts"));
    assertFalse(out.get(1).hasField("ts"), "no made-up ts=0.0");
    for (Point p : out) {
      assertEquals(
          java.util.Set.of("ts_kapacitor_udf_entry", "ts_kapacitor_udf_exit"),
          p.intFields().keySet());
      assertTrue(
          p.longField("ts_kapacitor_udf_entry") <= p.longField("ts_kapacitor_udf_exit"),
          () -> "entry after exit: " + p.intFields());
    }
  }

  @Test
  void profilingDefaultsToTheEnvironmentAndTheOptionOverridesIt() {
    try (FakeKapacitor k = rfcWith(SHARED, Map.of("PROFILING_MODE", "Yes"))) {
      k.init(Map.of());
      assertTrue(latest.get().profiling(), "profiling off with PROFILING_MODE=Yes");
    }
    try (FakeKapacitor k = rfcWith(SHARED, Map.of("PROFILING_MODE", "on"))) {
      k.init(".profiling(FALSE)");
      assertFalse(latest.get().profiling(), "profiling on despite .profiling(FALSE)");
    }
    try (FakeKapacitor k = rfcWith(SHARED, Map.of())) {
      k.init(Map.of()); // an unset PROFILING_MODE is no error
      assertFalse(latest.get().profiling(), "profiling on with PROFILING_MODE unset");
    }
  }

  @Test
  void refusesAnUnknownProfilingModeAtInit() {
    try (FakeKapacitor k = rfcWith(SHARED, Map.of("PROFILING_MODE", "maybe"))) {
      InitResult init = k.tryInit(Map.of());
      assertFalse(init.success(), "Init accepted: " + init);
      assertEquals(
          "environment variable PROFILING_MODE is 'maybe'; expected one of y, yes, t, true, on, 1,"
              + " n, no, f, false, off, 0",
          init.error());
    }
  }

  @Test
  void trainsOnTheFileTheTrainingOptionNames() throws Exception {
    // The bundled rows with their classes swapped: row C becomes the anomaly.
    List<String> lines =
        new ArrayList<>(
            Files.readAllLines(
                Path.of(
                    RandomForestClassifier.class
                        .getResource(RandomForestClassifier.BUNDLED_TRAINING)
                        .toURI())));
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      lines.set(i, line.substring(0, line.length() - 1) + (line.endsWith("1") ? "0" : "1"));
    }
    Path csv = Files.write(dir.resolve("swapped.csv"), lines);
    try (FakeKapacitor k = rfcWith(new ModelCache(1), Map.of())) {
      k.init(Map.of("training", csv.toString(), "trees", 50L));
      k.sendBatch(
          batch(List.of(point(1, trainingRow(0, "rowA")), point(2, trainingRow(2, "rowC")))));
      assertEquals(List.of(0.0, 1.0), predictions(k.takePoints(2)));
    }
  }

  @Test
  void refusesAMissingTrainingFileAtInit(FakeKapacitor k) {
    Path missing = dir.resolve("nope.csv");
    InitResult init = k.tryInit(Map.of("training", missing.toString()));
    assertFalse(init.success(), "Init accepted: " + init);
    assertEquals("option 'training': no such file " + missing, init.error());
  }

  @Test
  void refusesATrainingFileWithABadCellNamingItsLine(FakeKapacitor k) throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,1\n3,x,0\n");
    InitResult init = k.tryInit(Map.of("training", csv.toString()));
    assertFalse(init.success(), "Init accepted: " + init);
    assertEquals(
        "training data " + csv + " line 3 column b: not a finite number: 'x'", init.error());
  }

  @Test
  void connectionsWithTheSameOptionsShareOneForest() {
    ModelCache cache = new ModelCache(4);
    for (int task = 0; task < 2; task++) {
      try (FakeKapacitor k = rfcWith(cache, Map.of())) {
        k.init(".trees(40)");
      }
    }
    assertEquals(1, cache.trainings());
    try (FakeKapacitor k = rfcWith(cache, Map.of())) {
      k.init(".trees(40).seed(1)");
    }
    assertEquals(2, cache.trainings());
  }

  @Test
  void streamPointGetsAnErrorNamingTheProblem(FakeKapacitor k) throws Exception {
    k.init(Map.of());
    // Kapacitor refuses such a TICKscript; a peer that sends one anyway gets an ErrorResponse.
    k.session()
        .send(
            UdfProto.Request.newBuilder().setPoint(Protocol.toProto(point(1, sample(1)))).build());
    assertEquals(
        "error processing request of type point: received a stream point, but this UDF wants a"
            + " batch (its Info says wants=BATCH)",
        k.awaitFailure());
  }

  @Test
  void readsTheMessageFromTheFieldOption(FakeKapacitor k) throws Exception {
    k.init(".field('log')");
    k.sendBatch(batch(List.of(Point.builder().time(1).field("log", sample(3)).build())));
    assertEquals(1.0, k.takePoint().doubleField("prediction"));
  }
}
