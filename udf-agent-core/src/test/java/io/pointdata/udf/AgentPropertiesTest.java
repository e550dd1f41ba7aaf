package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentPropertiesTest {
  private static final String[] PROPERTIES = {
    UdfAgent.HANDLER_DEADLINE_PROPERTY,
    UdfAgent.READ_WINDOW_PROPERTY,
    UdfAgent.MAX_SESSIONS_PROPERTY,
    UdfAgent.MAX_BATCH_POINTS_PROPERTY,
    UdfAgent.MAX_BATCH_BYTES_PROPERTY
  };

  @AfterEach
  void clear() {
    for (String property : PROPERTIES) System.clearProperty(property);
  }

  @Test
  void unsetOrBlankIsNull() {
    System.setProperty(UdfAgent.MAX_BATCH_POINTS_PROPERTY, " ");
    assertNull(AgentProperties.handlerDeadline());
    assertNull(AgentProperties.readWindow());
    assertNull(AgentProperties.maxSessions());
    assertNull(AgentProperties.maxBatchPoints());
    assertNull(AgentProperties.maxBatchBytes());
  }

  @Test
  void sizesReadAsTheJvmsOwnFlags() {
    assertEquals(1_048_576L, bytes("1048576"));
    assertEquals(512L * 1024, bytes("512k"));
    assertEquals(8L << 20, bytes("8M"));
    assertEquals(2L << 30, bytes("2g"));
  }

  @Test
  void aSizeThatIsNotOneNamesThePropertyAndTheValue() {
    for (String bad : new String[] {"0", "-1", "4x", "m", "4.5m", "99999999999999999g"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> bytes(bad), bad);
      assertEquals(
          "-Dudf.maxBatchBytes takes a positive size in bytes (e.g. 4m, 512k), got " + bad,
          e.getMessage());
    }
  }

  @Test
  void countsArePositiveWholeNumbers() {
    System.setProperty(UdfAgent.MAX_BATCH_POINTS_PROPERTY, "5000000");
    assertEquals(5_000_000, AgentProperties.maxBatchPoints());
    System.setProperty(UdfAgent.MAX_SESSIONS_PROPERTY, "0");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, AgentProperties::maxSessions);
    assertEquals("-Dudf.maxSessions takes a positive whole number, got 0", e.getMessage());
  }

  @Test
  void durationsAsAnOperatorWritesThem() {
    System.setProperty(UdfAgent.HANDLER_DEADLINE_PROPERTY, "30s");
    assertEquals(Duration.ofSeconds(30), AgentProperties.handlerDeadline());
    System.setProperty(UdfAgent.READ_WINDOW_PROPERTY, "0");
    assertEquals(Duration.ZERO, AgentProperties.readWindow(), "0 turns the window off");
    System.setProperty(UdfAgent.READ_WINDOW_PROPERTY, "2ms");
    assertEquals(Duration.ofMillis(2), AgentProperties.readWindow());
    System.setProperty(UdfAgent.HANDLER_DEADLINE_PROPERTY, "soon");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, AgentProperties::handlerDeadline);
    assertEquals(true, e.getMessage().startsWith("-Dudf.handlerDeadline: "), e.getMessage());
  }

  private static long bytes(String value) {
    System.setProperty(UdfAgent.MAX_BATCH_BYTES_PROPERTY, value);
    Supplier<Long> read = AgentProperties::maxBatchBytes;
    return read.get();
  }
}
