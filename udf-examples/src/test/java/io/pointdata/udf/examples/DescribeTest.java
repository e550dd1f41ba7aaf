package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Option;
import io.pointdata.udf.UdfSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DescribeTest {
  private static final Path JAR = Path.of("/opt/udf/udf-examples.jar");
  private static final Path JAVA = Path.of("/usr/bin/java");

  @ParameterizedTest
  @EnumSource(Example.class)
  void listsEveryDeclaredOptionInTheTableAndTheTickscriptCall(Example example) {
    UdfSpec spec = example.factory().get().spec();
    String text = Describe.describe(example, JAR, JAVA);
    for (Option<?> option : spec.options().values()) {
      assertTrue(text.contains("\n  " + option.name() + " "), option + " in the option table");
      String call =
          option.defaultValue() == null
              ? "      // ." + option.name() + "(" + option.type().name() + ")\n"
              : "      ."
                  + option.name()
                  + "("
                  + Describe.tickLiteral(option.defaultValue())
                  + ")\n";
      assertTrue(text.contains(call), call + " in:\n" + text);
    }
  }

  @Test
  void writesBothKapacitorConfSectionsForTheTemperatureClassifier() {
    String text = Describe.describe(Example.TEMPERATURE, JAR, JAVA);
    assertTrue(
        text.contains(
            """
              [udf.functions.temperature]
                prog = "/usr/bin/java"
                args = ["-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-Xmn8m", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=/opt/udf/udf-examples.jsa", "-jar", "/opt/udf/udf-examples.jar", "temperature"]
                timeout = "20s"
            """),
        text);
    assertTrue(
        text.contains(
            "\n"
                + "  printf '\\x02\\x0a\\x00\\x02\\x12\\x00' | /usr/bin/java"
                + " -XX:ArchiveClassesAtExit=/opt/udf/udf-examples.jsa -Xlog:disable"
                + " -Xlog:all=warning:stderr -XX:+UseSerialGC -Xmn8m -Xmx32m"
                + " -XX:TieredStopAtLevel=1 -jar /opt/udf/udf-examples.jar rfc > /dev/null\n"),
        text);
    assertTrue(
        text.contains(
            "(start it before kapacitord: /usr/bin/java -Xlog:disable -Xlog:all=warning:stderr"
                + " -XX:+UseSerialGC -Xmn8m -Xmx32m -XX:TieredStopAtLevel=1"
                + " -XX:SharedArchiveFile=/opt/udf/udf-examples.jsa -jar /opt/udf/udf-examples.jar"
                + " temperature --socket "),
        text);
    assertTrue(
        text.contains(
            """
              [udf.functions.temperature]
                socket = "%s"
                timeout = "20s"
            """
                .formatted(Example.TEMPERATURE.defaultSocket())),
        text);
    assertTrue(text.contains("  field  STRING  default 'temperature'"), text);
  }

  @Test
  void writesTheLauncherFormWhenTheDistributionRunsIt() {
    Path launcher = Path.of("/opt/udf-examples/bin/udf-examples");
    String text = Describe.describe(Example.TEMPERATURE, JAR, JAVA, launcher);
    assertTrue(
        text.contains(
            """
              [udf.functions.temperature]
                prog = "/opt/udf-examples/bin/udf-examples"
                args = ["temperature"]
                timeout = "20s"
            """),
        text);
    assertTrue(text.contains("\n  /opt/udf-examples/bin/udf-examples archive\n"), text);
    assertTrue(
        text.contains(
            "(start it before kapacitord: /opt/udf-examples/bin/udf-examples temperature --socket "
                + Example.TEMPERATURE.defaultSocket()
                + "):"),
        text);
    assertFalse(
        text.contains("-Xmx") || text.contains("-jar"),
        "the launcher holds the flags and the jar: " + text);
    assertEquals(
        Describe.describe(Example.TEMPERATURE, JAR, JAVA).substring(0, text.indexOf("\nJVM flags")),
        text.substring(0, text.indexOf("\nJVM flags")),
        "the same options table");
  }

  @Test
  void keepsTheArchiveNextToTheJar() {
    assertEquals(Path.of("/opt/udf/udf-examples.jsa"), Describe.archiveFor(JAR));
    assertEquals(Path.of("udf.jsa"), Describe.archiveFor(Path.of("udf")));
  }

  @Test
  void windowsTheStreamForTheBatchUdf() {
    String text = Describe.describe(Example.RFC, JAR, JAVA);
    assertTrue(
        text.contains(
            """
                |from()
                  .measurement('ts_data')
                |window()
                  .period(3s)
                  .every(3s)
                @rfc()
            """),
        text);
    assertTrue(text.contains("timeout = \"60s\""), text);
  }

  @Test
  void refusesAnOptionWithoutHelpText() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Example.TEMPERATURE.help(Option.ofDouble("threshold", 1.0)));
    assertEquals("temperature: option 'threshold' has no help text", e.getMessage());
  }

  @Test
  void writesTickscriptLiterals() {
    assertEquals("20.0", Describe.tickLiteral(20.0));
    assertEquals("10000000000.0", Describe.tickLiteral(1e10));
    assertEquals("0.001", Describe.tickLiteral(0.001));
    assertEquals("600", Describe.tickLiteral(600L));
    assertEquals("600", Describe.tickLiteral(600));
    assertEquals("'it\\'s'", Describe.tickLiteral("it's"));
    assertEquals("TRUE", Describe.tickLiteral(true));
    assertEquals("90s", Describe.tickLiteral(Duration.ofSeconds(90)));
  }

  @Test
  void writesDurationsInTheirLargestWholeUnit() {
    assertEquals("2h", Describe.tickDuration(Duration.ofHours(2)));
    assertEquals("90m", Describe.tickDuration(Duration.ofMinutes(90)));
    assertEquals("1500ms", Describe.tickDuration(Duration.ofMillis(1500)));
    assertEquals("7u", Describe.tickDuration(Duration.ofNanos(7000)));
    assertEquals("0s", Describe.tickDuration(Duration.ZERO));
    assertEquals("60s", Describe.confDuration(Duration.ofMinutes(1)));
  }
}
