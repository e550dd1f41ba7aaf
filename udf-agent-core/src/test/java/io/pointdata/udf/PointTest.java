package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PointTest {
  private final Point cpu =
      Point.wrap(
          UdfProto.Point.newBuilder()
              .setTime(1_700_000_000_123_456_789L)
              .setName("cpu")
              .setDatabase("telegraf")
              .setRetentionPolicy("autogen")
              .setGroup("host=a")
              .addDimensions("host")
              .setByName(true)
              .putTags("host", "a")
              .putFieldsDouble("usage", 97.5)
              .putFieldsInt("count", 42)
              .putFieldsString("state", "ok")
              .putFieldsBool("up", true)
              .build());

  @Test
  void numericReadersAcceptIntAndDoubleFields() {
    assertEquals(97.5, cpu.doubleField("usage"));
    assertEquals(42.0, cpu.doubleField("count"));
    assertEquals(42L, cpu.longField("count"));
    assertEquals(OptionalDouble.of(42.0), cpu.findDouble("count"));
    assertEquals(OptionalDouble.empty(), cpu.findDouble("state"));
  }

  @Test
  void missingFieldFailsNamingThePointAndItsFields() {
    UdfException e = assertThrows(UdfException.class, () -> cpu.doubleField("temperature"));
    assertEquals(
        "field 'temperature' of point 'cpu' is missing; fields: count (int), state (string), up"
            + " (bool), usage (double)",
        e.getMessage());
  }

  @Test
  void fieldOfAnotherTypeFailsSayingSo() {
    UdfException e = assertThrows(UdfException.class, () -> cpu.doubleField("state"));
    assertTrue(
        e.getMessage().startsWith("field 'state' of point 'cpu' is not a numeric field"),
        e.getMessage());
    assertThrows(UdfException.class, () -> cpu.stringField("usage"));
    assertThrows(UdfException.class, () -> cpu.boolField("state"));
  }

  @Test
  void longFieldRefusesAFractionalDouble() {
    assertThrows(UdfException.class, () -> cpu.longField("usage"));
  }

  @Test
  void copyKeepsRoutingAndGroupingAttributes() {
    Point scored = cpu.toBuilder().field("score", 0.9).build();
    assertEquals("cpu", scored.name());
    assertEquals("telegraf", scored.database());
    assertEquals("autogen", scored.retentionPolicy());
    assertEquals(List.of("host"), scored.dimensions());
    assertTrue(scored.byName(), "byName is lost in the copy");
    assertEquals(Map.of("host", "a"), scored.tags());
    assertEquals(cpu.time(), scored.time());
    assertEquals(0.9, scored.doubleField("score"));
    assertFalse(cpu.hasField("score"), "the original is unchanged");
  }

  @Test
  void settingAFieldReplacesOneOfAnotherType() {
    Point p = cpu.toBuilder().field("count", 1.5).build();
    assertEquals(1.5, p.doubleField("count"));
    assertFalse(
        p.intFields().containsKey("count"),
        "Kapacitor's merge would otherwise pick one arbitrarily");
  }

  @Test
  void protocolConversionWrapsWithoutCopying() {
    UdfProto.Point proto = Protocol.toProto(cpu);
    assertSame(proto, Protocol.toProto(Protocol.point(proto)));
    assertEquals(cpu, Protocol.point(proto));
  }

  @Test
  void instantTimeIsNanosecondExact() {
    Instant time = Instant.parse("2023-11-14T22:13:20.123456789Z");
    assertEquals(cpu.time(), Point.named("x").time(time).build().time());
  }

  @Test
  void tagReaderReturnsNullForAMissingTag() {
    assertNull(cpu.tag("region"));
    assertEquals(Optional.empty(), cpu.findString("nope"));
    assertEquals(Optional.empty(), cpu.findTag("region"));
  }
}
