package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionTest {
  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Double> MAX = Option.ofDouble("max", 25.0);
  static final Option<String> TAG = Option.ofString("tag").optional().repeatable();
  static final Option<Boolean> STRICT = Option.flag("strict");
  static final Option<Long> LIMIT = Option.ofInt("limit").optional();

  private static final UdfSpec SPEC =
      UdfSpec.wants(Edge.BATCH)
          .provides(Edge.STREAM)
          .options(FIELD, MAX, TAG, STRICT, LIMIT)
          .build();

  private static InitContext check(UdfProto.Option... options) {
    UdfProto.InitRequest.Builder init = UdfProto.InitRequest.newBuilder();
    for (UdfProto.Option o : options) init.addOptions(o);
    return InitContext.check(SPEC, init.build());
  }

  @Test
  void specGeneratesInfoWithEdgesAndValueTypes() {
    UdfProto.InfoResponse info = Protocol.info(SPEC);
    assertEquals(UdfProto.EdgeType.BATCH, info.getWants());
    assertEquals(UdfProto.EdgeType.STREAM, info.getProvides());
    assertEquals(
        List.of(UdfProto.ValueType.STRING), info.getOptionsOrThrow("field").getValueTypesList());
    assertEquals(
        List.of(UdfProto.ValueType.DOUBLE), info.getOptionsOrThrow("max").getValueTypesList());
    assertEquals(
        List.of(),
        info.getOptionsOrThrow("strict").getValueTypesList(),
        "a flag takes no arguments");
  }

  @Test
  void repeatableOptionKeepsEveryValueInCallOrder() {
    InitContext ctx =
        check(
            AgentWire.option("field", AgentWire.stringValue("v")),
            AgentWire.option("tag", AgentWire.stringValue("a")),
            AgentWire.option("tag", AgentWire.stringValue("b")));
    assertEquals(List.of("a", "b"), ctx.getAll(TAG));
    assertEquals("b", ctx.get(TAG));
  }

  @Test
  void flagIsTrueOnlyWhenGiven() {
    assertFalse(check(AgentWire.option("field", AgentWire.stringValue("v"))).get(STRICT));
    assertTrue(
        check(AgentWire.option("field", AgentWire.stringValue("v")), AgentWire.option("strict"))
            .get(STRICT));
  }

  @Test
  void flagGivenAValueIsRefused() {
    UdfException e =
        assertThrows(
            UdfException.class,
            () ->
                check(
                    AgentWire.option("field", AgentWire.stringValue("v")),
                    AgentWire.option("strict", AgentWire.boolValue(true))));
    assertEquals("option 'strict' is a flag and takes no value, got 1", e.getMessage());
  }

  @Test
  void optionalWithoutDefaultIsFoundOnlyWhenGiven() {
    InitContext ctx = check(AgentWire.option("field", AgentWire.stringValue("v")));
    assertEquals(Optional.empty(), ctx.find(LIMIT));
    assertThrows(IllegalStateException.class, () -> ctx.get(LIMIT));
    assertEquals(Optional.of(25.0), ctx.find(MAX));
  }

  @Test
  void readingAnUndeclaredOptionIsAProgrammingError() {
    InitContext ctx = check(AgentWire.option("field", AgentWire.stringValue("v")));
    assertThrows(IllegalArgumentException.class, () -> ctx.get(Option.ofString("other")));
  }

  @Test
  void valueWhoseTypeFieldDisagreesWithItsOneofIsJudgedByTheValue() {
    UdfProto.OptionValue lying =
        UdfProto.OptionValue.newBuilder().setType(UdfProto.ValueType.STRING).setIntValue(3).build();
    UdfException e =
        assertThrows(UdfException.class, () -> check(AgentWire.option("field", lying)));
    assertEquals("option 'field' must be STRING, got INT", e.getMessage());
  }

  @Test
  void declarationsAreCheckedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> Option.ofString("not valid"));
    assertThrows(
        IllegalArgumentException.class,
        () -> UdfSpec.stream().options(FIELD, Option.ofInt("field")));
    assertThrows(NullPointerException.class, () -> Option.ofString("x", null));
  }
}
