package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.OptionValue;
import io.pointdata.udf.proto.UdfProto.ValueType;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Options are checked against the UDF's Info as {@code kapacitor define} checks them, with its
 * errors.
 */
class DefineCheckTest {
  /** The Init the task's UDF received, if any. */
  private static final AtomicReference<UdfProto.InitRequest> received = new AtomicReference<>();

  @RegisterExtension
  static final FakeKapacitorExtension kapacitor =
      FakeKapacitorExtension.forHandler(() -> new InitRecorder(new AllOptions()));

  @Test
  void unknownOptionIsRefusedWithKapacitorsError(FakeKapacitor k) {
    assertRefused(k.tryInit(".nosuch(1)"), "no method or property \"nosuch\" on *pipeline.UDFNode");
  }

  @Test
  void wrongNumberOfArgumentsIsRefused(FakeKapacitor k) {
    assertRefused(
        k.tryInit(".field('a', 'b')"), "unexpected number of args to field, got 2 expected 1");
  }

  @Test
  void doubleForAnIntOptionIsRefusedWithoutCoercion(FakeKapacitor k) {
    assertRefused(k.tryInit(".size(10.0)"), "unexpected arg to size, got DOUBLE expected INT");
  }

  @Test
  void intForADoubleOptionIsRefusedWithoutCoercion(FakeKapacitor k) {
    assertRefused(
        k.tryInit(Map.of("ratio", 1)), "unexpected arg to ratio, got INT expected DOUBLE");
  }

  @Test
  void argumentToAFlagIsRefused(FakeKapacitor k) {
    assertRefused(
        k.tryInit(".strict(TRUE)"), "unexpected number of args to strict, got 1 expected 0");
  }

  @Test
  void referenceIsTypedBoolAsKapacitorTypesIt(FakeKapacitor k) {
    assertRefused(k.tryInit(".size(\"usage\")"), "unexpected arg to size, got BOOL expected INT");
  }

  @Test
  void firstRefusedCallIsTheError(FakeKapacitor k) {
    assertRefused(
        k.tryInit(".size(1.5).nosuch(1)"), "unexpected arg to size, got DOUBLE expected INT");
  }

  @Test
  void acceptedOptionsAreSentInCallOrderWithTheirTypes(FakeKapacitor k) {
    k.init(
        "@allOptions().field('value').size(10).ratio(0.5).period(10s).enabled(FALSE).tag('a').tag('b').strict()");
    UdfProto.InitRequest expected =
        UdfProto.InitRequest.newBuilder()
            .addOptions(
                option(
                    "field",
                    OptionValue.newBuilder().setType(ValueType.STRING).setStringValue("value")))
            .addOptions(
                option("size", OptionValue.newBuilder().setType(ValueType.INT).setIntValue(10)))
            .addOptions(
                option(
                    "ratio",
                    OptionValue.newBuilder().setType(ValueType.DOUBLE).setDoubleValue(0.5)))
            .addOptions(
                option(
                    "period",
                    OptionValue.newBuilder()
                        .setType(ValueType.DURATION)
                        .setDurationValue(10_000_000_000L)))
            .addOptions(
                option(
                    "enabled",
                    OptionValue.newBuilder().setType(ValueType.BOOL).setBoolValue(false)))
            .addOptions(
                option(
                    "tag", OptionValue.newBuilder().setType(ValueType.STRING).setStringValue("a")))
            .addOptions(
                option(
                    "tag", OptionValue.newBuilder().setType(ValueType.STRING).setStringValue("b")))
            .addOptions(UdfProto.Option.newBuilder().setName("strict"))
            .setTaskID("test_task")
            .setNodeID("udf1")
            .build();
    assertEquals(expected, received.get());
  }

  @Test
  void mapValuesAreTypedAsTheirTickscriptLiterals(FakeKapacitor k) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("size", 10); // an Integer is an INT, as 10 is
    options.put("period", java.time.Duration.ofMillis(1500));
    options.put("tag", java.util.List.of("a", "b"));
    k.init(options);
    assertEquals(".size(10).period(1500ms).tag('a').tag('b')", TickOptions.of(options).toString());
    assertEquals(TickOptions.of(options).toInitOptions(), received.get().getOptionsList());
  }

  private static void assertRefused(InitResult result, String kapacitorError) {
    assertTrue(result.rejectedAtDefine(), "refused by kapacitor define, before any Init");
    assertEquals(kapacitorError, result.error());
    assertEquals(kapacitorError, result.kapacitorError());
    assertNull(received.get(), "the UDF received no Init");
  }

  private static UdfProto.Option option(String name, OptionValue.Builder value) {
    return UdfProto.Option.newBuilder().setName(name).addValues(value).build();
  }

  /** Runs a UDF, remembering the Init it receives. */
  private static final class InitRecorder implements UdfHandler {
    private final UdfHandler udf;

    InitRecorder(io.pointdata.udf.Udf udf) {
      this.udf = Protocol.handler(udf);
      received.set(null);
    }

    @Override
    public UdfProto.InfoResponse info() throws Exception {
      return udf.info();
    }

    @Override
    public UdfProto.InitResponse init(UdfProto.InitRequest request) throws Exception {
      received.set(request);
      return udf.init(request);
    }

    @Override
    public void point(UdfProto.Point point, ResponseSink out) throws Exception {
      udf.point(point, out);
    }
  }
}
