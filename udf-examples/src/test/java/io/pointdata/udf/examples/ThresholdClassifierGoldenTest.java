package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our temperature and humidity classifiers against the traces of EII's Python originals, request by
 * request. Each difference is one of the fixes of EII-UDFS Part A, asserted on its own.
 */
class ThresholdClassifierGoldenTest {
  @Test
  void temperatureMatchesTheOriginalExceptForTheNamedFixes() throws Exception {
    EiiSteps ours = EiiSteps.replay("py_classifier_stream", ThresholdClassifier::temperature);
    assertTrue(ours.replay().stop().clean(), ours.replay().stop()::toString);

    int info = ours.indexOf(Request.MessageCase.INFO);
    int withoutTemperature = ours.indexOfPoint(1594927500000000000L);
    int intTemperature = ours.indexOfPoint(1594927500000000001L);
    int restore = ours.indexOf(Request.MessageCase.RESTORE);
    ours.assertSameAsOriginalExcept(Set.of(info, withoutTemperature, intTemperature, restore));

    // Fix: the options are declared in Info, so a TICKscript can call @temperature().min(18.0).
    assertInfoAddsOptions(ours, info, "field", "min", "max");

    // Fix: a point without the field is dropped (and counted); the original forwards it with an
    // added temperature=0.0 (protobuf's map read inserts the key).
    UdfProto.Point forwarded = ours.original(withoutTemperature).get(0).getPoint();
    assertTrue(forwarded.getFieldsDoubleMap().containsKey("temperature"), forwarded.toString());
    assertEquals(List.of(), ours.ours(withoutTemperature));

    // Fix: an int field is read as its number (30 > 25: forwarded unchanged); the original reads
    // 0.0 and forwards the point with an added double temperature=0.0, which Kapacitor's merge
    // makes the stored value.
    UdfProto.Point input = ours.steps().get(intTemperature).request().getPoint();
    assertEquals(
        0.0, ours.original(intTemperature).get(0).getPoint().getFieldsDoubleOrThrow("temperature"));
    assertEquals(List.of(pointResponse(input)), ours.ours(intTemperature));

    assertRestoreAccepted(ours, restore);
  }

  @Test
  void humidityMatchesTheOriginalExceptForTheNamedFixes() throws Exception {
    EiiSteps ours = EiiSteps.replay("humidity_classifier_stream", ThresholdClassifier::humidity);
    assertTrue(ours.replay().stop().clean(), ours.replay().stop()::toString);

    int info = ours.indexOf(Request.MessageCase.INFO);
    int intHumidity = ours.indexOfPoint(1594924090000000001L);
    int restore = ours.indexOf(Request.MessageCase.RESTORE);
    ours.assertSameAsOriginalExcept(Set.of(info, intHumidity, restore));

    assertInfoAddsOptions(ours, info, "field", "min", "max");

    // Fix: int humidity=90 is read as 90 > 25 and forwarded unchanged; the original read 0.0 and
    // dropped it.
    UdfProto.Point input = ours.steps().get(intHumidity).request().getPoint();
    assertEquals(List.of(), ours.original(intHumidity));
    assertEquals(List.of(pointResponse(input)), ours.ours(intHumidity));

    assertRestoreAccepted(ours, restore);
  }

  @Test
  void batchGetsAnErrorNamingTheProblemAndEndsTheConnection() throws Exception {
    EiiSteps ours = EiiSteps.replay("py_classifier_batch_error", ThresholdClassifier::temperature);

    int info = ours.indexOf(Request.MessageCase.INFO);
    int begin = ours.indexOf(Request.MessageCase.BEGIN);
    ours.assertSameAsOriginalExcept(Set.of(info, begin));
    assertInfoAddsOptions(ours, info, "field", "min", "max");

    // Same kind of answer and prefix; our text says what is wrong instead of "not supported".
    assertEquals(
        "error processing request of type begin: not supported",
        ours.original(begin).get(0).getError().getError());
    assertEquals(1, ours.ours(begin).size());
    assertEquals(
        "error processing request of type begin: received a batch, but this UDF wants a stream"
            + " (its Info says wants=STREAM)",
        ours.ours(begin).get(0).getError().getError());
    // As with the original, the agent stops at the error: Kapacitor aborts the UDF.
    assertTrue(
        ours.replay().stop().problems().stream().anyMatch(p -> p.contains("ErrorResponse")),
        ours.replay().stop()::toString);
  }

  static Response pointResponse(UdfProto.Point point) {
    return Response.newBuilder().setPoint(point).build();
  }

  /** Same edges as the original's Info, which declares no options; ours declares these. */
  static void assertInfoAddsOptions(EiiSteps ours, int step, String... options) {
    UdfProto.InfoResponse original = ours.original(step).get(0).getInfo();
    UdfProto.InfoResponse info = ours.ours(step).get(0).getInfo();
    assertEquals(Map.of(), original.getOptionsMap());
    assertEquals(original.getWants(), info.getWants());
    assertEquals(original.getProvides(), info.getProvides());
    assertEquals(Set.of(options), info.getOptionsMap().keySet());
  }

  /** Fix: Restore succeeds (stateless); the original said "not implemented". */
  static void assertRestoreAccepted(EiiSteps ours, int step) {
    UdfProto.RestoreResponse original = ours.original(step).get(0).getRestore();
    assertFalse(original.getSuccess(), "the original accepted Restore: " + original);
    assertEquals("not implemented", original.getError());
    assertEquals(
        List.of(
            Response.newBuilder()
                .setRestore(UdfProto.RestoreResponse.newBuilder().setSuccess(true))
                .build()),
        ours.ours(step));
  }
}
