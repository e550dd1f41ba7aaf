package io.pointdata.udf.examples;

import static io.pointdata.udf.examples.ThresholdClassifierGoldenTest.assertInfoAddsOptions;
import static io.pointdata.udf.examples.ThresholdClassifierGoldenTest.assertRestoreAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our rfc against the traces of EII's original, request by request: the same prediction for every
 * point, and only the differences EII-UDFS Part A names.
 */
class RandomForestClassifierGoldenTest {
  private static final ModelCache CACHE = new ModelCache(2);
  private static final String PROFILING_ENTRY = "ts_kapacitor_udf_entry";
  private static final String PROFILING_EXIT = "ts_kapacitor_udf_exit";

  @Test
  void matchesTheOriginalExceptForTheNamedFixes() {
    EiiSteps ours =
        EiiSteps.replay(
            "rfc_classifier_profiling_false",
            () -> new RandomForestClassifier(CACHE, Map.<String, String>of()::get));
    assertTrue(ours.replay().stop().clean(), ours.replay().stop()::toString);
    assertMatchesExceptNamedFixes(ours);
    ends(ours)
        .forEach(
            end ->
                ours.ours(end)
                    .forEach(
                        r ->
                            assertEquals(
                                Set.of("prediction"), r.getPoint().getFieldsDoubleMap().keySet())));
  }

  @Test
  void profilingFromTheEnvironmentMatchesTheOriginalButForWallClockTimes() {
    long before = System.currentTimeMillis();
    EiiSteps ours =
        EiiSteps.replay(
            "rfc_classifier_profiling_true",
            () -> new RandomForestClassifier(CACHE, Map.of("PROFILING_MODE", "true")::get));
    long after = System.currentTimeMillis();
    assertTrue(ours.replay().stop().clean(), ours.replay().stop()::toString);

    // The original's entry/exit are its own wall-clock times: check ours are real times around the
    // prediction, then compare everything else.
    for (EiiSteps.Step step : ours.steps()) {
      for (Response r : step.ours()) {
        if (!r.hasPoint()) continue;
        long entry = r.getPoint().getFieldsIntOrThrow(PROFILING_ENTRY);
        long exit = r.getPoint().getFieldsIntOrThrow(PROFILING_EXIT);
        assertTrue(before <= entry && entry <= exit && exit <= after, entry + ".." + exit);
      }
    }
    assertMatchesExceptNamedFixes(
        ours.mapResponses(RandomForestClassifierGoldenTest::withoutProfilingTimes));
  }

  /**
   * Info declares options, Restore succeeds, each output is named after its batch and carries its
   * own input point's tags; every prediction and all else as the original.
   */
  private static void assertMatchesExceptNamedFixes(EiiSteps ours) {
    int info = ours.indexOf(Request.MessageCase.INFO);
    int restore = ours.indexOf(Request.MessageCase.RESTORE);
    List<Integer> ends = ends(ours);
    Set<Integer> differences = new HashSet<>(Set.of(info, restore));
    differences.addAll(ends);
    ours.assertSameAsOriginalExcept(differences);

    assertInfoAddsOptions(ours, info, "training", "trees", "seed", "field", "profiling", "strict");
    assertRestoreAccepted(ours, restore);

    int firstEnd = ends.get(0);
    for (int end : ends) {
      List<UdfProto.Point> inputs = batchPoints(ours, end);
      List<Response> expected = new ArrayList<>();
      for (int i = 0; i < ours.original(end).size(); i++) {
        UdfProto.Point.Builder original = ours.original(end).get(i).getPoint().toBuilder();
        // Fix: the original leaves the name empty; ours names the output after the batch.
        assertEquals("", original.getName());
        original.setName(ours.steps().get(end).request().getEnd().getName());
        // Fix: the original copies the batch's last point's tags onto every output; ours keeps each
        // point's own. The traces' batches differ only in the first one, whose points have other
        // tags.
        String assetId = original.getTagsOrThrow("assetId");
        if (end == firstEnd && i == 0) {
          assertEquals(
              Map.of("host", "B", "topic", "test/rfc_data", "x", "1", "assetId", "ROB1-1"),
              original.getTagsMap());
        } else {
          assertEquals(original.getTagsMap(), withAsset(inputs.get(i).getTagsMap(), assetId));
        }
        original.clearTags().putAllTags(withAsset(inputs.get(i).getTagsMap(), assetId));
        expected.add(Response.newBuilder().setPoint(original).build());
      }
      assertEquals(expected, ours.ours(end), ours.name() + " step " + end);
    }
  }

  private static Map<String, String> withAsset(Map<String, String> tags, String assetId) {
    Map<String, String> result = new HashMap<>(tags);
    result.put("assetId", assetId);
    return result;
  }

  private static List<Integer> ends(EiiSteps steps) {
    return steps.steps().stream()
        .filter(s -> s.request().hasEnd())
        .map(EiiSteps.Step::index)
        .toList();
  }

  /** The points of the batch that the EndBatch at {@code end} closes. */
  private static List<UdfProto.Point> batchPoints(EiiSteps steps, int end) {
    List<UdfProto.Point> points = new ArrayList<>();
    for (int i = end - 1; !steps.steps().get(i).request().hasBegin(); i--) {
      points.add(0, steps.steps().get(i).request().getPoint());
    }
    return points;
  }

  private static Response withoutProfilingTimes(Response r) {
    if (!r.hasPoint()) return r;
    UdfProto.Point.Builder p =
        r.getPoint().toBuilder().removeFieldsInt(PROFILING_ENTRY).removeFieldsInt(PROFILING_EXIT);
    return r.toBuilder().setPoint(p).build();
  }
}
