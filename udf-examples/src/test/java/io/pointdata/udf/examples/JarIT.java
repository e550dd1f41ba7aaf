package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.UdfTarget;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The built jar, run as Kapacitor runs it: a process UDF on stdin/stdout, or a socket UDF. */
class JarIT {
  static final Path JAR =
      Path.of(System.getProperty("udf.examples.jar", "target/udf-examples.jar"));

  @TempDir Path dir;

  static List<String> java(String... args) {
    List<String> command =
        new ArrayList<>(List.of(Main.javaPath().toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  @ParameterizedTest
  @EnumSource(Example.class)
  void answersInfoAsAProcessAndExitsZeroAtEndOfInput(Example example) throws Exception {
    Path log = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(java(example.command())).redirectError(log.toFile()).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(new byte[] {0x02, 0x0a, 0x00}); // an InfoRequest, framed
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits after end of input");
    assertEquals(0, process.exitValue(), () -> read(log));

    FrameReader<Response> frames =
        new FrameReader<>(new ByteArrayInputStream(stdout), Response.parser(), 1 << 20);
    Response info = frames.read();
    assertEquals(Protocol.info(example.factory().get().spec()), info.getInfo());
    assertNull(frames.read(), "nothing but the InfoResponse on stdout");
    // Training waits for Init: an Info-only start never trains.
    assertFalse(read(log).contains("trained"), () -> read(log));
  }

  @Test
  void recommendedFlagsKeepTheJvmsOwnWarningsOffStdout() throws Exception {
    // A CDS archive made for the jar goes stale when the jar changes; the JVM then warns, by
    // default
    // on stdout, which would break the first frame Kapacitor reads.
    Path jar = Files.copy(JAR, dir.resolve("udf.jar"));
    Path archive = dir.resolve("udf.jsa");
    Process dump =
        new ProcessBuilder(
                Main.javaPath().toString(),
                "-XX:ArchiveClassesAtExit=" + archive,
                "-jar",
                jar.toString(),
                "temperature")
            .redirectErrorStream(true)
            .start();
    dump.getOutputStream().close();
    byte[] dumped = dump.getInputStream().readAllBytes();
    assertTrue(
        dump.waitFor(60, TimeUnit.SECONDS),
        () ->
            "the archive dump did not exit within 60 s: "
                + new String(dumped, StandardCharsets.UTF_8));
    Files.setLastModifiedTime(
        jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

    List<String> command = new ArrayList<>(List.of(Main.javaPath().toString()));
    command.addAll(Describe.PROCESS_JVM_FLAGS);
    command.addAll(
        List.of("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString(), "temperature"));
    Path log = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(new byte[] {0x02, 0x0a, 0x00});
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "no exit within 60 s: " + read(log));
    assertEquals(0, process.exitValue(), () -> read(log));
    assertTrue(
        read(log).contains("[warning][cds"), () -> "the JVM warned, on stderr: " + read(log));
    FrameReader<Response> frames =
        new FrameReader<>(new ByteArrayInputStream(stdout), Response.parser(), 1 << 20);
    assertEquals(
        Protocol.info(Example.TEMPERATURE.factory().get().spec()), frames.read().getInfo());
    assertNull(frames.read());
  }

  @Test
  void servesASocketUntilStoppedThenRemovesTheSocketFile() throws Exception {
    Path socket = dir.resolve("humidity.sock");
    Process process =
        new ProcessBuilder(java("humidity", "--socket", socket.toString()))
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      assertTrue(Files.exists(socket), "socket created within 60 s");

      // Kapacitor's start-up connection asks for Info only; then one connection per task node.
      try (FakeKapacitor k = FakeKapacitor.builder(UdfTarget.socket(socket)).build()) {
        assertEquals(Protocol.info(Example.HUMIDITY.factory().get().spec()), k.info());
        k.init(".max(50.0)");
        Point wet = Point.named("point_data").field("humidity", 60.0).build();
        k.send(Point.named("point_data").field("humidity", 40.0).build()).send(wet);
        assertEquals(wet, k.takePoint());
        k.assertNoMorePoints();
      }
    } finally {
      process.destroy(); // SIGTERM, as a service manager stops it
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          () -> "no exit within 30 s of SIGTERM: " + read(dir.resolve("stderr.txt")));
    }
    assertFalse(Files.exists(socket), "socket file removed at shutdown");
  }

  @Test
  void holdsTheUdfsAndTheirRuntimeButNoTestFixturesDemoGsonOrProtobufUtil() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> unwanted =
          jar.stream()
              .map(JarEntry::getName)
              .filter(
                  name ->
                      name.startsWith("io/pointdata/udf/testing/")
                          || name.startsWith("com/google/gson/")
                          || name.startsWith("com/google/protobuf/util/")
                          || name.startsWith("io/pointdata/udf/examples/Demo"))
              .toList();
      assertEquals(List.of(), unwanted);
      assertNotNull(jar.getEntry("io/pointdata/udf/examples/Main.class"));
      assertNotNull(jar.getEntry("io/pointdata/udf/UdfAgent.class"));
      assertNotNull(
          jar.getEntry("org/tribuo/classification/dtree/CARTClassificationTrainer.class"));
    }
  }

  @Test
  void describesAUdfFromItsSpec() throws Exception {
    // stderr apart: JDK 24+ warns there about protobuf's use of sun.misc.Unsafe.
    Path log = dir.resolve("describe-stderr.txt");
    Process process =
        new ProcessBuilder(java("describe", "temperature")).redirectError(log.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        process.waitFor(60, TimeUnit.SECONDS), () -> "no exit within 60 s: " + out + read(log));
    assertEquals(0, process.exitValue(), () -> out + read(log));
    assertEquals(
        Describe.describe(Example.TEMPERATURE, JAR.toAbsolutePath(), Main.javaPath()), out);
  }

  @Test
  void printsUsageAndExitsTwoWithoutACommand() throws Exception {
    Process process = new ProcessBuilder(java()).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "no exit within 60 s: " + stderr);
    assertEquals(2, process.exitValue());
    assertEquals("", stdout);
    assertTrue(
        stderr.startsWith("error: no command given\n\nusage: java -jar udf-examples.jar COMMAND"),
        stderr);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
