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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The files under deploy/ agree with the UDFs' declared specs, so they cannot fall behind the code. */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final Pattern UDF_CALL = Pattern.compile("^\\s*@(\\w+)\\(\\)\\s*$");
  private static final Pattern OPTION_CALL = Pattern.compile("^\\s*\\.(\\w+)\\((.*)\\)\\s*$");

  @Test
  void kapacitorConfHasASectionPerUdfWithTheRecommendedFlagsAndDistinctSockets() throws IOException {
    // The active variant of each UDF and, commented out, the other: read both.
    String conf = Files.readString(DEPLOY.resolve("kapacitor.conf"))
        .replaceAll("(?m)^(\\s*)# ?", "$1")
        .replaceAll(",\\s*\n\\s+", ", ");
    for (Example example : Example.values()) {
      assertTrue(conf.contains("[udf.functions." + example.command() + "]\n"), example + " has a section");
    }
    Matcher args = Pattern.compile("args = \\[(.*), \"-jar\", \"([^\"]+)\"").matcher(conf);
    int processSections = 0;
    while (args.find()) {
      String flags = Describe.jvmFlags(Path.of(args.group(2))).stream().map(Describe::quote).collect(Collectors.joining(", "));
      assertEquals(flags, args.group(1).strip(), "JVM flags of a process section");
      processSections++;
    }
    assertEquals(Example.values().length, processSections, "a process variant for each UDF");
    List<String> sockets = Pattern.compile("socket = \"([^\"]+)\"").matcher(conf).results().map(m -> m.group(1)).toList();
    assertEquals(Example.values().length, sockets.size(), "a socket variant for each UDF");
    assertEquals(sockets.size(), new HashSet<>(sockets).size(), "socket paths do not clash: " + sockets);
  }

  @Test
  void tickscriptsCallOnlyDeclaredOptionsWithTheirTypes() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(DEPLOY.resolve("tick"))) {
      scripts = files.filter(p -> p.toString().endsWith(".tick")).sorted().toList();
    }
    assertEquals(5, scripts.size(), scripts.toString());
    Set<String> called = new HashSet<>();
    for (Path script : scripts) {
      UdfSpec spec = null;
      for (String line : Files.readAllLines(script)) {
        Matcher udf = UDF_CALL.matcher(line);
        Matcher option = OPTION_CALL.matcher(line);
        if (udf.matches()) {
          Example example = Example.named(udf.group(1)).orElseThrow(() -> new AssertionError(script + ": " + line));
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
    assertEquals(Set.of("temperature", "humidity", "rfc"), called);
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
  void systemdUnitStartsTheSocketUdfWithTheRecommendedFlags() throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd/kapacitor-udf@.service"));
    Path jar = Path.of("/opt/kapacitor-udf/udf-examples.jar");
    assertTrue(unit.contains("\nExecStart=/usr/bin/java " + String.join(" ", Describe.jvmFlags(jar)) + " -jar " + jar + " %i --socket "),
        unit);
  }

  @Test
  void systemdUnitRestartsOnFailureOnlyAndAStopIsNotOne() throws IOException {
    // The server exits 0 after SIGTERM and a clean drain (MemoryPressureTest in the core checks it),
    // 1 when it cannot go on: so no SuccessExitStatus=143 is needed, and a failure is restarted.
    String unit = Files.readString(DEPLOY.resolve("systemd/kapacitor-udf@.service"));
    assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
    assertFalse(unit.contains("SuccessExitStatus"), unit);
  }

  @Test
  void measureScriptUsesTheRecommendedFlags() throws IOException {
    String script = Files.readString(DEPLOY.resolve("measure-startup.sh"));
    assertTrue(script.contains("FLAGS=(" + String.join(" ", Describe.PROCESS_JVM_FLAGS) + ")"), script);
    assertFalse(new ArrayList<>(Describe.PROCESS_JVM_FLAGS).isEmpty());
  }
}
