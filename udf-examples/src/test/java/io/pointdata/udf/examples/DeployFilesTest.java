package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Option;
import io.pointdata.udf.UdfSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files under deploy/ (the distribution's conf/) and the launcher agree with the UDFs' declared
 * specs and the recommended flags, so they cannot fall behind the code.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");

  /** Where kapacitor.conf and the systemd unit expect the distribution's launcher. */
  private static final String LAUNCHER = "/opt/udf-examples/bin/udf-examples";

  private static final Pattern UDF_CALL = Pattern.compile("^\\s*@(\\w+)\\(\\)\\s*$");
  private static final Pattern OPTION_CALL = Pattern.compile("^\\s*\\.(\\w+)\\((.*)\\)\\s*$");

  @Test
  void kapacitorConfHasASectionPerUdfRunByTheLauncherAndDistinctSockets() throws IOException {
    // The active variant of each UDF and, commented out, the other: read both.
    String conf =
        Files.readString(DEPLOY.resolve("kapacitor.conf")).replaceAll("(?m)^(\\s*)# ?", "$1");
    for (Example example : Example.values()) {
      String name = example.command();
      assertTrue(conf.contains("[udf.functions." + name + "]\n"), example + " has a section");
      assertTrue(
          conf.contains(
              "[udf.functions."
                  + name
                  + "]\n    prog = \""
                  + LAUNCHER
                  + "\"\n    args = [\""
                  + name
                  + "\"]\n"),
          example + " has a process variant that runs the launcher");
    }
    List<String> progs =
        Pattern.compile("prog = \"([^\"]+)\"")
            .matcher(conf)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertEquals(
        Collections.nCopies(Example.values().length, LAUNCHER),
        progs,
        "every process variant runs the launcher");
    List<String> sockets =
        Pattern.compile("socket = \"([^\"]+)\"")
            .matcher(conf)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertEquals(Example.values().length, sockets.size(), "a socket variant for each UDF");
    assertEquals(
        sockets.size(), new HashSet<>(sockets).size(), "socket paths do not clash: " + sockets);
  }

  @Test
  void launcherBuildsInTheRecommendedFlags() throws IOException {
    String script = Files.readString(Path.of("src/dist/bin/udf-examples"));
    Matcher log = Pattern.compile("(?m)^LOG_OPTS=\"([^\"]*)\"$").matcher(script);
    Matcher defaults = Pattern.compile("(?m)^DEFAULT_OPTS=\"([^\"]*)\"$").matcher(script);
    assertTrue(log.find() && defaults.find(), script);
    assertEquals(
        String.join(" ", Describe.PROCESS_JVM_FLAGS), log.group(1) + " " + defaults.group(1));
    Matcher socket = Pattern.compile("(?m)^SOCKET_OPTS=\"([^\"]*)\"$").matcher(script);
    assertTrue(socket.find(), script);
    assertEquals(
        "-XX:+UseSerialGC -Xmn24m -Xmx64m",
        socket.group(1),
        "a socket UDF gets the heap its session limits are sized for (RELIABILITY.md)");
  }

  @Test
  void tickscriptsCallOnlyDeclaredOptionsWithTheirTypes() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(DEPLOY.resolve("tick"))) {
      scripts = files.filter(p -> p.toString().endsWith(".tick")).sorted().toList();
    }
    assertEquals(7, scripts.size(), scripts.toString());
    Set<String> called = new HashSet<>();
    for (Path script : scripts) {
      UdfSpec spec = null;
      for (String line : Files.readAllLines(script)) {
        Matcher udf = UDF_CALL.matcher(line);
        Matcher option = OPTION_CALL.matcher(line);
        if (udf.matches()) {
          Example example =
              Example.named(udf.group(1))
                  .orElseThrow(() -> new AssertionError(script + ": " + line));
          spec = example.factory().get().spec();
          called.add(example.command());
        } else if (spec != null && option.matches()) {
          Option<?> declared = spec.options().get(option.group(1));
          assertTrue(declared != null, script + ": undeclared option in " + line);
          assertEquals(declared.type(), typeOf(option.group(2)), script + ": " + line);
        } else if (!line.isBlank() && !line.strip().startsWith("//")) {
          spec = null; // the next node
        }
      }
    }
    assertEquals(Set.of("temperature", "humidity", "rfc", "moving_avg", "outliers"), called);
  }

  private static Option.Type typeOf(String literal) {
    if (literal.startsWith("'")) return Option.Type.STRING;
    if (literal.equals("TRUE") || literal.equals("FALSE")) return Option.Type.BOOL;
    if (literal.matches("-?\\d+")) return Option.Type.INT;
    if (literal.matches("-?\\d+\\.\\d+")) return Option.Type.DOUBLE;
    if (literal.matches("-?\\d+(ns|u|ms|s|m|h|d|w)")) return Option.Type.DURATION;
    throw new AssertionError("not a TICKscript literal: " + literal);
  }

  @Test
  void systemdUnitStartsTheSocketUdfThroughTheLauncher() throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd/kapacitor-udf@.service"));
    assertTrue(
        unit.contains("\nExecStart=" + LAUNCHER + " %i --socket /run/kapacitor-udf/%i.sock\n"),
        unit);
  }

  @Test
  void systemdUnitRestartsOnFailureOnlyAndAStopIsNotOne() throws IOException {
    // The server exits 0 after SIGTERM and a clean drain (MemoryPressureTest in the core checks
    // it),
    // 1 when it cannot go on: so no SuccessExitStatus=143 is needed, and a failure is restarted.
    String unit = Files.readString(DEPLOY.resolve("systemd/kapacitor-udf@.service"));
    assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
    assertFalse(unit.contains("SuccessExitStatus"), unit);
  }

  @Test
  void measureScriptUsesTheRecommendedFlags() throws IOException {
    String script = Files.readString(DEPLOY.resolve("measure-startup.sh"));
    assertTrue(
        script.contains("FLAGS=(" + String.join(" ", Describe.PROCESS_JVM_FLAGS) + ")"), script);
    assertFalse(new ArrayList<>(Describe.PROCESS_JVM_FLAGS).isEmpty(), "no recommended JVM flags");
  }
}
