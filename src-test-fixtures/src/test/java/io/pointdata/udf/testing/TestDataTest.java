package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestDataTest {
  @Test
  void lineProtocolFieldsKeepTheirTypes() {
    Point p =
        TestData.point(
            "cpu,host=a,dc=x\\ 1 usage=95,cores=4i,state=\"busy \\\"now\\\"\",ok=T"
                + " 1700000000000000000");
    assertEquals(
        Point.named("cpu")
            .tag("host", "a")
            .tag("dc", "x 1")
            .field("usage", 95.0)
            .field("cores", 4L)
            .field("state", "busy \"now\"")
            .field("ok", true)
            .time(1700000000000000000L)
            .build(),
        p);
  }

  @Test
  void lineWithoutTimestampHasTimeZero() {
    assertEquals(0, TestData.point("cpu v=1").time());
  }

  @Test
  void badLineIsRefusedWithItsPosition() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestData.point("cpu v=abc"));
    assertEquals(
        "line protocol, at 10: field 'v' has no valid value: abc: cpu v=abc", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestData.point("cpu"));
    assertThrows(IllegalArgumentException.class, () -> TestData.point("cpu v=1 soon"));
  }

  @Test
  void batchIsNamedAfterItsLinesWithTmaxTheLatestTime() {
    Batch b = TestData.batch(Map.of("host", "a"), "cpu v=1 30", "cpu v=2 10");
    assertEquals("cpu", b.name());
    assertEquals(Map.of("host", "a"), b.tags());
    assertEquals(30, b.tmax());
    assertEquals(List.of("", ""), b.points().stream().map(Point::name).toList());
  }

  @Test
  void batchOfMixedMeasurementsIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TestData.batch(Map.of(), "cpu v=1", "mem v=1"));
    assertTrue(e.getMessage().contains("'cpu' and 'mem'"), e.getMessage());
  }

  @Test
  void seriesSpacesPointsByTheStep() {
    List<Point> s =
        TestData.series(
            Point.named("cpu").build(),
            "v",
            Instant.ofEpochSecond(100),
            Duration.ofSeconds(10),
            1.0,
            2.0);
    assertEquals(List.of(100_000_000_000L, 110_000_000_000L), s.stream().map(Point::time).toList());
    assertEquals(List.of(1.0, 2.0), s.stream().map(p -> p.doubleField("v")).toList());
  }
}
