package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto.OptionValue;
import io.pointdata.udf.proto.UdfProto.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TickOptionsTest {
  @Test
  void literalsAreTypedAsTickscriptTypesThem() {
    List<TickOptions.Call> calls =
        TickOptions.parse(".a(10).b(10.0).c('ten').d(10s).e(TRUE).f(FALSE).g(-3).h(-2.5)").calls();
    assertEquals(
        OptionValue.newBuilder().setType(ValueType.INT).setIntValue(10).build(),
        calls.get(0).args().get(0));
    assertEquals(
        OptionValue.newBuilder().setType(ValueType.DOUBLE).setDoubleValue(10.0).build(),
        calls.get(1).args().get(0));
    assertEquals(
        OptionValue.newBuilder().setType(ValueType.STRING).setStringValue("ten").build(),
        calls.get(2).args().get(0));
    assertEquals(
        OptionValue.newBuilder()
            .setType(ValueType.DURATION)
            .setDurationValue(10_000_000_000L)
            .build(),
        calls.get(3).args().get(0));
    assertEquals(
        OptionValue.newBuilder().setType(ValueType.BOOL).setBoolValue(true).build(),
        calls.get(4).args().get(0));
    assertEquals(
        OptionValue.newBuilder().setType(ValueType.BOOL).setBoolValue(false).build(),
        calls.get(5).args().get(0));
    assertEquals(-3, calls.get(6).args().get(0).getIntValue());
    assertEquals(-2.5, calls.get(7).args().get(0).getDoubleValue());
  }

  @Test
  void durationsAreNanosecondsInEveryUnit() {
    List<TickOptions.Call> calls =
        TickOptions.parse(".d(5u, 5µ, 5ms, 5s, 5m, 5h, 5d, 5w, -5s, 15778476m)").calls();
    List<Long> nanos = calls.get(0).args().stream().map(OptionValue::getDurationValue).toList();
    assertEquals(
        List.of(
            5_000L,
            5_000L,
            5_000_000L,
            5_000_000_000L,
            300_000_000_000L,
            18_000_000_000_000L,
            432_000_000_000_000L,
            3_024_000_000_000_000L,
            -5_000_000_000L,
            946_708_560_000_000_000L),
        nanos);
  }

  @Test
  void callsKeepTheirOrderRepeatsAndFlags() {
    TickOptions options =
        TickOptions.parse("@myUdf()\n  .tag('a')\n  // a comment\n  .tag('b')\n  .strict()");
    assertEquals(
        List.of("tag", "tag", "strict"),
        options.calls().stream().map(TickOptions.Call::name).toList());
    assertEquals(List.of(), options.calls().get(2).args());
    assertEquals(".tag('a').tag('b').strict()", options.toString());
  }

  @Test
  void stringsTakeEscapedQuotesAndTripleQuotes() {
    TickOptions options = TickOptions.parse(".a('it\\'s').b('''say 'hi' ''')");
    assertEquals("it's", options.calls().get(0).args().get(0).getStringValue());
    assertEquals("say 'hi' ", options.calls().get(1).args().get(0).getStringValue());
  }

  @Test
  void referenceHasTypeBoolAndNoValue() {
    OptionValue reference = TickOptions.parse(".field(\"usage\")").calls().get(0).args().get(0);
    assertEquals(ValueType.BOOL, reference.getType());
    assertEquals(OptionValue.ValueCase.VALUE_NOT_SET, reference.getValueCase());
  }

  @Test
  void textParsesBackToTheSameOptions() {
    TickOptions options =
        TickOptions.builder()
            .call("field", "it's")
            .call("size", 10L)
            .call("ratio", 2.0)
            .call("period", Duration.ofMillis(1500))
            .call("on", true)
            .call("strict")
            .build();
    assertEquals(options, TickOptions.parse(options.toString()));
  }

  @Test
  void mapValuesOfEachJavaType() {
    TickOptions options = TickOptions.of(Map.of("n", 7));
    assertEquals(ValueType.INT, options.calls().get(0).args().get(0).getType());
    assertEquals(
        ValueType.DOUBLE, TickOptions.of(Map.of("x", 1.5f)).calls().get(0).args().get(0).getType());
    assertEquals(2, TickOptions.of(Map.of("tag", List.of("a", "b"))).calls().size());
    TickOptions none = TickOptions.of(Map.of());
    assertTrue(none.isEmpty(), none.toString());
  }

  @Test
  void javaValueWithoutATickscriptTypeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TickOptions.of(Map.of("when", java.time.Instant.EPOCH)));
    assertTrue(
        e.getMessage().startsWith("option 'when': java.time.Instant is not a TICKscript value"),
        e.getMessage());
  }

  @Test
  void badTextIsRefusedWithItsPosition() {
    assertError(".size(10", "at 9 (found end of input): expected ')'");
    assertError("size(10)", "at 1 (found 's'): expected '.'");
    assertError(".on(true)", "at 5 (found 't'): TICKscript booleans are TRUE and FALSE");
    assertError(".d(1.5s)", "a duration's number must be whole: 1.5");
    assertError(".d(5mo)", "unknown duration unit");
    assertError(".s('open)", "unterminated string");
    assertError(".n(99999999999999999999)", "number out of range for option 'n'");
  }

  private static void assertError(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TickOptions.parse(text));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
