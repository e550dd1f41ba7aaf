package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.testing.conformance.ConformanceRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator installs it: the built tarball unpacked, its launcher run as
 * Kapacitor runs a UDF, a process and a socket one, under the conformance runner.
 */
class DistIT {
  static final Path TARBALL =
      Path.of(System.getProperty("udf.examples.dist", "target/udf-examples.tar.gz"));

  @TempDir static Path unpacked;
  static Path home;
  static Path launcher;

  @BeforeAll
  static void unpack() throws Exception {
    Process tar =
        new ProcessBuilder(
                "tar", "xzf", TARBALL.toAbsolutePath().toString(), "-C", unpacked.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tar.waitFor(60, TimeUnit.SECONDS), () -> "tar did not exit within 60 s: " + out);
    assertEquals(0, tar.exitValue(), out);
    try (Stream<Path> top = Files.list(unpacked)) {
      home = top.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    launcher = home.resolve("bin/udf-examples");
  }

  @Test
  void unpacksAsBinLibConf() {
    assertTrue(home.getFileName().toString().startsWith("udf-examples-"), home.toString());
    assertTrue(Files.isExecutable(launcher), "bin/udf-examples is executable");
    assertTrue(
        Files.isRegularFile(home.resolve("lib/udf-examples.jar")),
        "lib/udf-examples.jar is a file");
    for (String conf :
        List.of(
            "kapacitor.conf",
            "systemd/kapacitor-udf@.service",
            "tick/point_classifier.tick",
            "tick/rfc_task.tick")) {
      assertTrue(Files.isRegularFile(home.resolve("conf").resolve(conf)), conf);
    }
  }

  @Test
  void processUdfThroughTheLauncherPassesTheConformanceRunner() {
    Run result = conformance("--process", launcher.toString(), "temperature");
    assertEquals(0, result.status(), result.out() + result.err());
    assertTrue(result.out().contains(" 0 failed"), result.out());
  }

  @Test
  void socketUdfThroughTheLauncherPassesTheConformanceRunnerAndRemovesItsSocketAtStop(
      @TempDir Path dir) throws Exception {
    Path socket = dir.resolve("humidity.sock");
    Process server =
        new ProcessBuilder(launcher.toString(), "humidity", "--socket", socket.toString())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      assertTrue(
          Files.exists(socket),
          () -> "socket created within 60 s: " + JarIT.read(dir.resolve("stderr.txt")));
      Run result = conformance("--socket", socket.toString());
      assertEquals(0, result.status(), result.out() + result.err());
      assertTrue(result.out().contains("concurrent-sessions   PASS"), result.out());
    } finally {
      server.destroy(); // SIGTERM reaches the JVM itself: the launcher execs it
      assertTrue(
          server.waitFor(30, TimeUnit.SECONDS),
          () -> "no exit within 30 s of SIGTERM: " + JarIT.read(dir.resolve("stderr.txt")));
    }
    assertFalse(Files.exists(socket), "socket file removed at stop");
  }

  @Test
  void describePrintsTheLauncherForm() throws Exception {
    Run run = launch(Map.of(), "describe", "temperature");
    assertEquals(0, run.status(), run.err());
    assertTrue(
        run.out().contains("    prog = \"" + launcher + "\"\n    args = [\"temperature\"]\n"),
        run.out());
    assertEquals(
        Describe.describe(
            Example.TEMPERATURE, home.resolve("lib/udf-examples.jar"), Main.javaPath(), launcher),
        run.out());
  }

  @Test
  void archiveMakesAnArchiveForThisJdkThatTheLauncherThenUses() throws Exception {
    Run archive = launch(Map.of(), "archive");
    assertEquals(0, archive.status(), archive.err());
    List<Path> made;
    try (Stream<Path> files = Files.list(home.resolve("var"))) {
      made = files.toList();
    }
    assertEquals(1, made.size(), made.toString());
    String extension = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";
    assertTrue(
        made.get(0)
            .getFileName()
            .toString()
            .matches(
                "udf-examples-"
                    + Runtime.version().toString().replaceAll("[+-].*", "").replace(".", "\\.")
                    + "-\\d+\\"
                    + extension),
        made.toString());

    // UDF_JAVA_OPTS reaches the JVM; with it, class loading is logged, naming where each class came
    // from.
    Run described =
        launch(Map.of("UDF_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "describe", "temperature");
    assertEquals(0, described.status(), described.err());
    assertTrue(
        described.err().contains("io.pointdata.udf.examples.Main source: shared objects file"),
        described.err());
  }

  @Test
  void aMissingJavaIsAClearErrorAndNothingOnStdout() throws Exception {
    Run run = launch(Map.of("JAVA_HOME", "/nonexistent"), "temperature");
    assertEquals(1, run.status());
    assertEquals("", run.out());
    assertEquals("udf-examples: /nonexistent/bin/java is not executable\n", run.err());
  }

  /** A finished command: its exit status, stdout and stderr. */
  private record Run(int status, String out, String err) {}

  private static Run conformance(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ConformanceRunner.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs the launcher with this test's JDK as JAVA_HOME, unless {@code env} says otherwise. */
  private static Run launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("UDF_JAVA_OPTS");
    builder.environment().putAll(env);
    Path err = Files.createTempFile(unpacked, "stderr", ".txt");
    Process process = builder.redirectError(err.toFile()).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "exits");
    return new Run(process.exitValue(), out, Files.readString(err));
  }
}
