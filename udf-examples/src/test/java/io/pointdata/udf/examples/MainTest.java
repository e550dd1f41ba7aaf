package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "nope",
        "describe",
        "describe nope",
        "describe a b",
        "temperature --bogus",
        "rfc --socket a b",
        "demo"
      })
  void refusesBadCommandLinesWithStatusTwoAndAnErrorOnStderr(String line) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            line.isEmpty() ? new String[0] : line.split(" "),
            new PrintStream(out),
            new PrintStream(err));
    assertEquals(Main.USAGE_ERROR, status);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).startsWith("error: "),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsUsageOnStdout() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"help"}, new PrintStream(out), System.err));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage.startsWith("usage: java -jar udf-examples.jar COMMAND"), usage);
  }
}
