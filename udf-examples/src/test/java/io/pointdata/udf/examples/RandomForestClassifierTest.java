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
import io.pointdata.udf.proto.UdfProto.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomForestClassifierTest {
  /** Forests trained with the default options are shared by the tests that need no fresh one. */
  private static final ModelCache SHARED = new ModelCache(4);

  @TempDir Path dir;
  private final AtomicReference<RandomForestClassifier> instance = new AtomicReference<>();

  private Connected rfc(ModelCache cache, Map<String, String> env) throws Exception {
    return Connected.to(() -> {
      RandomForestClassifier udf = new RandomForestClassifier(cache, env::get);
      instance.set(udf);
      return udf;
    }, dir);
  }

  private Connected rfc() throws Exception {
    return rfc(SHARED, Map.of());
  }

  private static List<Double> predictions(List<Point> outputs) {
    return outputs.stream().map(p -> p.doubleField("prediction")).toList();
  }

  @Test
  void predictsTrainingRowsAAndBAsOneAndRowCAsZero() throws Exception {
    try (Connected k = rfc()) {
      assertTrue(k.init(Map.of()).getSuccess());
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(List.of(
          point(1, trainingRow(0, "rowA")), point(2, trainingRow(1, "rowB")), point(3, trainingRow(2, "rowC"))))));
      assertEquals(List.of(1.0, 1.0, 0.0), predictions(out));
      assertEquals(List.of("rowA", "rowB", "rowC"), out.stream().map(p -> p.tag("assetId")).toList());
    }
  }

  @Test
  void predictsTheSampleMessagesAsOne() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of());
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(List.of(
          point(1, sample(1)), point(2, sample(2)), point(3, sample(3))))));
      assertEquals(List.of(1.0, 1.0, 1.0), predictions(out));
    }
  }

  @Test
  void sameSeedGivesIdenticalOutputOnTwoRuns() throws Exception {
    List<Point> inputs = new ArrayList<>();
    for (int i = 0; i < 3; i++) inputs.add(point(10 + i, trainingRow(i, "row" + i)));
    for (int i = 1; i <= 3; i++) inputs.add(point(20 + i, sample(i)));
    List<List<Response>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ModelCache fresh = new ModelCache(1);
      try (Connected k = rfc(fresh, Map.of())) {
        k.init(Map.of("seed", 7L));
        runs.add(k.kapacitor.exchange(batch(inputs)));
      }
      assertEquals(1, fresh.trainings(), "each run trains its own forest");
    }
    assertEquals(inputs.size(), runs.get(0).size());
    assertEquals(runs.get(0), runs.get(1));
  }

  @Test
  void outputIsOneStreamPointPerInputWithItsOwnTimeAndTags() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of());
      Point a = Point.builder().time(5).tag("host", "A").field("value", sample(1)).build();
      Point b = Point.builder().time(6).tag("host", "B").tag("x", "1").field("value", sample(2)).build();
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(List.of(a, b))));
      assertEquals(List.of(
          Point.named("ts_data").time(5).tag("host", "A").tag("assetId", "ROB1-1").field("prediction", 1.0).build(),
          Point.named("ts_data").time(6).tag("host", "B").tag("x", "1").tag("assetId", "ROB1-1").field("prediction", 1.0).build()),
          out);
    }
  }

  @Test
  void emptyBatchEmitsNothing() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of());
      assertEquals(List.of(), k.kapacitor.exchange(batch(List.of())));
    }
  }

  @Test
  void unreadablePointsAreSkippedAndCounted() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of());
      String good = sample(1);
      List<Point> inputs = List.of(
          Point.builder().time(1).field("ts", 1.0).build(),                   // no value
          point(2, "{not json"),
          point(3, good.replace("\"Name7\":30.09,", "")),                      // a feature missing
          point(4, good.replace("\"Name7\":30.09", "\"Name7\":null")),          // a null feature
          point(5, good.replace("\"NameOFLog\":\"ROB1-1\",", "")),             // no asset
          point(6, good.replace("\"NameOFLog\":\"ROB1-1\"", "\"NameOFLog\":7")),
          Point.builder().time(7).field("value", 3.0).build(),               // value not a string
          point(8, good));
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(inputs)));
      assertEquals(List.of(8L), out.stream().map(Point::time).toList());
      assertEquals(7, instance.get().skipped());
    }
  }

  @Test
  void strictFailsTheTaskAtAnUnreadablePointBeforeEmittingItsBatch() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of("strict", true));
      List<Response> responses = k.kapacitor.exchange(batch(List.of(point(1, sample(1)), point(2, "{}"))));
      assertEquals(1, responses.size());
      assertEquals("error processing request of type end: point 2 of 2 of batch 'ts_data' (time 2): field 'value'"
          + " has no 'NameOFLog'", responses.get(0).getError().getError());
    }
  }

  @Test
  void profilingAddsTimesAndTheInputTsOnlyWhenPresent() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of("profiling", true));
      Point withTs = point(1_650_000_000_000_000_000L, sample(1));
      Point withoutTs = Point.builder().time(2).field("value", sample(2)).build();
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(List.of(withTs, withoutTs))));
      assertEquals(1.65e9, out.get(0).doubleField("ts"));
      assertFalse(out.get(1).hasField("ts"), "no made-up ts=0.0");
      for (Point p : out) {
        assertTrue(p.longField("ts_kapacitor_udf_entry") <= p.longField("ts_kapacitor_udf_exit"));
        assertEquals(Map.of(), p.intFields().keySet().stream()
            .filter(f -> !f.startsWith("ts_kapacitor_udf_")).collect(java.util.stream.Collectors.toMap(f -> f, f -> f)));
      }
    }
  }

  @Test
  void profilingDefaultsToTheEnvironmentAndTheOptionOverridesIt() throws Exception {
    try (Connected k = rfc(SHARED, Map.of("PROFILING_MODE", "Yes"))) {
      k.init(Map.of());
      assertTrue(instance.get().profiling());
    }
    try (Connected k = rfc(SHARED, Map.of("PROFILING_MODE", "on"))) {
      k.init(Map.of("profiling", false));
      assertFalse(instance.get().profiling());
    }
    try (Connected k = rfc(SHARED, Map.of())) {
      assertTrue(k.init(Map.of()).getSuccess(), "unset PROFILING_MODE is no error");
      assertFalse(instance.get().profiling());
    }
  }

  @Test
  void refusesAnUnknownProfilingModeAtInit() throws Exception {
    try (Connected k = rfc(SHARED, Map.of("PROFILING_MODE", "maybe"))) {
      UdfProto.InitResponse init = k.init(Map.of());
      assertFalse(init.getSuccess());
      assertEquals("environment variable PROFILING_MODE is 'maybe'; expected one of y, yes, t, true, on, 1,"
          + " n, no, f, false, off, 0", init.getError());
    }
  }

  @Test
  void trainsOnTheFileTheTrainingOptionNames() throws Exception {
    // The bundled rows with their classes swapped: row C becomes the anomaly.
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(
        RandomForestClassifier.class.getResource(RandomForestClassifier.BUNDLED_TRAINING).toURI())));
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      lines.set(i, line.substring(0, line.length() - 1) + (line.endsWith("1") ? "0" : "1"));
    }
    Path csv = Files.write(dir.resolve("swapped.csv"), lines);
    try (Connected k = rfc(new ModelCache(1), Map.of())) {
      assertTrue(k.init(Map.of("training", csv.toString(), "trees", 50L)).getSuccess());
      List<Point> out = Connected.pointsOf(k.kapacitor.exchange(batch(List.of(
          point(1, trainingRow(0, "rowA")), point(2, trainingRow(2, "rowC"))))));
      assertEquals(List.of(0.0, 1.0), predictions(out));
    }
  }

  @Test
  void refusesAMissingTrainingFileAtInit() throws Exception {
    Path missing = dir.resolve("nope.csv");
    try (Connected k = rfc()) {
      UdfProto.InitResponse init = k.init(Map.of("training", missing.toString()));
      assertFalse(init.getSuccess());
      assertEquals("option 'training': no such file " + missing, init.getError());
    }
  }

  @Test
  void refusesATrainingFileWithABadCellNamingItsLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,1\n3,x,0\n");
    try (Connected k = rfc(new ModelCache(1), Map.of())) {
      UdfProto.InitResponse init = k.init(Map.of("training", csv.toString()));
      assertFalse(init.getSuccess());
      assertEquals("training data " + csv + " line 3 column b: not a finite number: 'x'", init.getError());
    }
  }

  @Test
  void connectionsWithTheSameOptionsShareOneForest() throws Exception {
    ModelCache cache = new ModelCache(4);
    try (Connected first = rfc(cache, Map.of())) {
      first.init(Map.of("trees", 40L));
    }
    try (Connected second = rfc(cache, Map.of())) {
      second.init(Map.of("trees", 40L));
    }
    assertEquals(1, cache.trainings());
    try (Connected other = rfc(cache, Map.of())) {
      other.init(Map.of("trees", 40L, "seed", 1L));
    }
    assertEquals(2, cache.trainings());
  }

  @Test
  void streamPointGetsAnErrorNamingTheProblem() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of());
      List<Response> responses = k.kapacitor.exchange(List.of(UdfProto.Request.newBuilder()
          .setPoint(point(1, sample(1)).toProto()).build()));
      assertEquals("error processing request of type point: received a stream point, but this UDF wants a batch"
          + " (its Info says wants=BATCH)", responses.get(0).getError().getError());
    }
  }

  @Test
  void readsTheMessageFromTheFieldOption() throws Exception {
    try (Connected k = rfc()) {
      k.init(Map.of("field", "log"));
      Point p = Point.builder().time(1).field("log", sample(3)).build();
      assertEquals(List.of(1.0), predictions(Connected.pointsOf(k.kapacitor.exchange(batch(List.of(p))))));
    }
  }
}
