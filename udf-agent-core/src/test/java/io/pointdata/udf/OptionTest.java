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
  static final Option<Integer> LIMIT = Option.ofInt("limit").optional();
  static final Option<Long> SEED = Option.ofLong("seed", 20);

  private static final UdfSpec SPEC =
      UdfSpec.wants(Edge.BATCH)
          .provides(Edge.STREAM)
          .options(FIELD, MAX, TAG, STRICT, LIMIT, SEED)
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
  void infoDeclaresIntForBothIntAndLongOptions() {
    UdfProto.InfoResponse info = Protocol.info(SPEC);
    assertEquals(
        List.of(UdfProto.ValueType.INT), info.getOptionsOrThrow("limit").getValueTypesList());
    assertEquals(
        List.of(UdfProto.ValueType.INT), info.getOptionsOrThrow("seed").getValueTypesList());
    assertEquals(Option.Type.INT, LIMIT.type());
    assertEquals(Option.Type.INT, SEED.type());
  }

  @Test
  void intOptionAcceptsTheWholeIntRange() {
    InitContext min =
        check(
            AgentWire.option("field", AgentWire.stringValue("v")),
            AgentWire.option("limit", AgentWire.intValue(Integer.MIN_VALUE)));
    assertEquals(Optional.of(Integer.MIN_VALUE), min.find(LIMIT));
    InitContext max =
        check(
            AgentWire.option("field", AgentWire.stringValue("v")),
            AgentWire.option("limit", AgentWire.intValue(Integer.MAX_VALUE)));
    assertEquals(Optional.of(Integer.MAX_VALUE), max.find(LIMIT));
  }

  @Test
  void intOptionRefusesAValueBeyondAnIntNamingTheOptionTheValueAndTheRange() {
    UdfException above =
        assertThrows(
            UdfException.class,
            () ->
                check(
                    AgentWire.option("field", AgentWire.stringValue("v")),
                    AgentWire.option("limit", AgentWire.intValue(Integer.MAX_VALUE + 1L))));
    assertEquals(
        "option 'limit' must fit an int (-2147483648 to 2147483647), got 2147483648",
        above.getMessage());
    UdfException below =
        assertThrows(
            UdfException.class,
            () ->
                check(
                    AgentWire.option("field", AgentWire.stringValue("v")),
                    AgentWire.option("limit", AgentWire.intValue(Integer.MIN_VALUE - 1L))));
    assertEquals(
        "option 'limit' must fit an int (-2147483648 to 2147483647), got -2147483649",
        below.getMessage());
  }

  @Test
  void intOptionOutOfRangeIsListedWithTheOtherProblems() {
    UdfException e =
        assertThrows(
            UdfException.class,
            () -> check(AgentWire.option("limit", AgentWire.intValue(Long.MAX_VALUE))));
    assertEquals(
        "option 'limit' must fit an int (-2147483648 to 2147483647), got 9223372036854775807;"
            + " option 'field' is required",
        e.getMessage());
  }

  @Test
  void intOptionChecksRunOnTheIntValue() {
    Option<Integer> size = Option.ofInt("size", 10).check(n -> n > 0, "must be positive");
    UdfSpec spec = UdfSpec.stream().options(size).build();
    UdfProto.InitRequest init =
        UdfProto.InitRequest.newBuilder()
            .addOptions(AgentWire.option("size", AgentWire.intValue(0)))
            .build();
    UdfException e = assertThrows(UdfException.class, () -> InitContext.check(spec, init));
    assertEquals("option 'size' must be positive, got 0", e.getMessage());
    assertEquals(10, InitContext.check(spec, UdfProto.InitRequest.getDefaultInstance()).get(size));
  }

  @Test
  void longOptionTakesTheWholeLongRange() {
    InitContext max =
        check(
            AgentWire.option("field", AgentWire.stringValue("v")),
            AgentWire.option("seed", AgentWire.intValue(Long.MAX_VALUE)));
    assertEquals(Long.MAX_VALUE, max.get(SEED));
    InitContext min =
        check(
            AgentWire.option("field", AgentWire.stringValue("v")),
            AgentWire.option("seed", AgentWire.intValue(Long.MIN_VALUE)));
    assertEquals(Long.MIN_VALUE, min.get(SEED));
    assertEquals(20L, check(AgentWire.option("field", AgentWire.stringValue("v"))).get(SEED));
  }

  @Test
  void aFlagCannotBeMadeOptionalOrRepeatable() {
    IllegalStateException optional =
        assertThrows(IllegalStateException.class, () -> Option.flag("strict").optional());
    assertEquals(
        "option 'strict' is a flag: it is already optional, false unless given",
        optional.getMessage());
    IllegalStateException repeatable =
        assertThrows(IllegalStateException.class, () -> Option.flag("strict").repeatable());
    assertEquals(
        "option 'strict' is a flag: it is either given or not, it cannot repeat",
        repeatable.getMessage());
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
    assertFalse(
        check(AgentWire.option("field", AgentWire.stringValue("v"))).get(STRICT),
        "the flag is true though not given");
    assertTrue(
        check(AgentWire.option("field", AgentWire.stringValue("v")), AgentWire.option("strict"))
            .get(STRICT),
        "the flag is false though given");
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
    assertEquals(
        "option name is not a TICKscript identifier: \"not valid\"",
        assertThrows(IllegalArgumentException.class, () -> Option.ofString("not valid"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Option.ofInt("1size"));
    assertThrows(IllegalArgumentException.class, () -> Option.ofLong("seed-1", 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> UdfSpec.stream().options(FIELD, Option.ofInt("field")));
    assertThrows(NullPointerException.class, () -> Option.ofString("x", null));
  }
}
