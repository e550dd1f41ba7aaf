package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoTest {
  @Test
  void demoOptionsOverrideTheDefaults() {
    assertEquals(
        new Demo.Settings(50, 7, 2, 9, true),
        Demo.parse(
            new String[] {
              "--points", "50", "--messages", "7", "--window", "2", "--seed", "9", "--verbose"
            }));
    assertEquals(Demo.Settings.DEFAULTS, Demo.parse(new String[0]));
    assertNull(Demo.parse(new String[] {"--help"}));
  }

  @Test
  void demoNamesABadOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Demo.parse(new String[] {"--messages", "-3"}));
    assertEquals("--messages must be between 1 and 100000000, got -3", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--points", "--points x", "--points 0", "--what"})
  void refusesBadCommandLinesWithStatusTwoAndTheUsageOnStderr(String line) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Demo.run(line.split(" "), new PrintStream(out), new PrintStream(err));
    assertEquals(Main.USAGE_ERROR, status);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    String error = err.toString(StandardCharsets.UTF_8);
    assertTrue(error.startsWith("error: ") && error.contains(Demo.USAGE), error);
  }
}
