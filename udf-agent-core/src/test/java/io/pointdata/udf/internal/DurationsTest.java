package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations read and written as an operator types them in Kapacitor's configuration. */
class DurationsTest {
  @Test
  void parsesOperatorUnitsAndIso8601() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofMillis(800), Durations.parse("PT0.8S"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("30 seconds"));
  }

  @Test
  void formatsAsAnOperatorTypesThem() {
    assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
    assertEquals("800ms", Durations.format(Duration.ofMillis(800)));
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("2h5m", Durations.format(Duration.ofMinutes(125)));
    assertEquals("1.25s", Durations.format(Duration.ofMillis(1250)));
    assertEquals("250us", Durations.format(Duration.ofNanos(250_000)));
    assertEquals("0s", Durations.format(Duration.ZERO));
  }

  @Test
  void formatThenParseGivesTheSameDurationForWholeUnits() {
    for (String text : new String[] {"500us", "500ms", "10s", "5m", "1h"}) {
      assertEquals(text, Durations.format(Durations.parse(text)));
    }
  }
}
