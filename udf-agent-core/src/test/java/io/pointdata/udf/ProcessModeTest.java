package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UDF run as its own JVM, as Kapacitor spawns it: PROTOCOL.md §6 items 7 and 8. */
class ProcessModeTest {
  @TempDir Path dir;

  private Process spawn(String... args) throws Exception {
    return spawn(List.of(), StdioMain.class, args);
  }

  private Process spawn(List<String> jvmFlags, Class<?> main, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
  }

  @Test
  void answersInfoOnStdoutAndExitsZeroAtEndOfInput() throws Exception {
    Process udf = spawn();
    try (OutputStream stdin = udf.getOutputStream()) {
      stdin.write(new byte[] {0x02, 0x0a, 0x00}); // req_info
    }
    byte[] stdout = udf.getInputStream().readAllBytes();
    assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "the process exits after stdin EOF");
    assertEquals(0, udf.exitValue());
    FrameReader<Response> frames =
        new FrameReader<>(new ByteArrayInputStream(stdout), Response.parser(), 1 << 20);
    Response info = frames.read();
    assertEquals(
        UdfProto.ValueType.DOUBLE, info.getInfo().getOptionsOrThrow("max").getValueTypes(0));
    assertEquals(null, frames.read(), "stdout holds the protocol and nothing else");
    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertTrue(stderr.contains("a stray println must not reach the protocol"), stderr);
  }

  @Test
  void exitsZeroAtEndOfInputWithItsTimerRunning() throws Exception {
    Process udf = spawn();
    try (AgentWire kapacitor = AgentWire.attach(udf)) {
      initialize(kapacitor);
      Thread.sleep(100); // some timer calls
      kapacitor.closeInput();
      assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "the process exits after stdin EOF");
      assertEquals(0, udf.exitValue());
    } finally {
      udf.destroyForcibly();
    }
  }

  @Test
  void logsASummaryOfItsCountersEverySoOftenAndWhenItsTaskEnds() throws Exception {
    Process udf =
        spawn(
            List.of(
                "-Dudf.name=probe",
                "-Dudf.metricsSummaryEvery=50ms",
                "-Dorg.slf4j.simpleLogger.log.io.pointdata.udf.internal.ProcessMetrics=info"),
            StdioMain.class);
    Path log = dir.resolve("stderr.txt");
    try (AgentWire kapacitor = AgentWire.attach(udf)) {
      initialize(kapacitor);
      for (int i = 0; i < 3; i++)
        kapacitor.point(UdfProto.Point.newBuilder().setName("m").setTime(i).build());
      for (int i = 0; i < 3; i++) kapacitor.take(Response.MessageCase.POINT);
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.readString(log).contains("UDF 'probe'") && System.nanoTime() < giveUp)
        Thread.sleep(20);
      assertTrue(Files.readString(log).contains("UDF 'probe'"), "a periodic line, before the end");
      kapacitor.closeInput();
      assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "the process exits after stdin EOF");
      assertEquals(0, udf.exitValue());
    } finally {
      udf.destroyForcibly();
    }
    List<String> lines =
        Files.readAllLines(log).stream().filter(l -> l.contains("UDF 'probe'")).toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.matches(
            ".*UDF 'probe' task=task node=udf1 metrics: points received 3, emitted 3; batches"
                + " received 0, emitted 0; dropped 0; errors 0; keepalives 0; handler calls 3, mean"
                + " [0-9.]+ us"),
        last);
  }

  @Test
  void socketModeServesUntilSigtermThenRemovesItsSocket() throws Exception {
    Path socket = dir.resolve("p.sock");
    Process udf = spawn("--socket", socket.toString());
    try {
      try (AgentWire wire = AgentWire.connectWhenListening(socket, Duration.ofSeconds(20))) {
        assertEquals(Response.MessageCase.INFO, wire.info().take().getMessageCase());
      }
      udf.destroy(); // SIGTERM
      assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "the server stops on SIGTERM");
      assertFalse(Files.exists(socket), "the socket file is removed");
    } finally {
      udf.destroyForcibly();
    }
  }

  @Test
  void unknownArgumentsAreRefusedWithUsage() throws Exception {
    Process udf = spawn("--sock", "x");
    assertTrue(udf.waitFor(20, TimeUnit.SECONDS), () -> "no exit within 20 s: " + stderr());
    assertNotEquals(0, udf.exitValue(), () -> "exit status; stderr: " + stderr());
    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertTrue(stderr.contains("usage: [--socket PATH]"), stderr);
  }

  @Test
  void handlerDeadlinePropertyEndsAProcessStuckInItsHandlerWithTheErrorAndExitStatus1()
      throws Exception {
    Process udf = spawn(List.of("-Dudf.handlerDeadline=500ms"), StuckStdioMain.class);
    try (AgentWire kapacitor = AgentWire.attach(udf)) {
      initialize(kapacitor);
      kapacitor.point(UdfProto.Point.newBuilder().setName("m").putTags("kind", "stuck").build());
      String error = kapacitor.take(Response.MessageCase.ERROR).getError().getError();
      assertEquals(
          "request of type point did not finish within the handler deadline of 500ms", error);
      // stdin stays open: the process must end on its own, since Kapacitor waits for it to exit.
      assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "the stuck process exits");
      assertEquals(1, udf.exitValue());
    } finally {
      udf.destroyForcibly();
    }
  }

  @Test
  void anUnreadableHandlerDeadlinePropertyStopsTheProcessWithItsName() throws Exception {
    String stderr = stderrOfAStartRefusedBy("-Dudf.handlerDeadline=soon");
    assertTrue(stderr.contains("-Dudf.handlerDeadline: "), stderr);
  }

  /** Starts a process UDF with a JVM flag it must refuse; returns what it said on stderr. */
  private String stderrOfAStartRefusedBy(String flag) throws Exception {
    Process udf = spawn(List.of(flag), StdioMain.class);
    udf.getOutputStream().close();
    assertTrue(udf.waitFor(20, TimeUnit.SECONDS), () -> "no exit within 20 s: " + stderr());
    assertNotEquals(0, udf.exitValue(), () -> "exit status; stderr: " + stderr());
    assertEquals(0, udf.getInputStream().readAllBytes().length, "nothing on the protocol channel");
    return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  @Test
  void batchLimitPropertiesBindAProcessUdfAndTheErrorNamesTheProperty() throws Exception {
    Process udf = spawn(List.of("-Dudf.maxBatchPoints=2"), MemoryMain.class, "batch");
    try (AgentWire kapacitor = AgentWire.attach(udf)) {
      initialize(kapacitor);
      kapacitor.send(
          UdfProto.Request.newBuilder()
              .setBegin(UdfProto.BeginBatch.newBuilder().setName("wide").setSize(3))
              .build());
      for (int i = 0; i < 3; i++)
        kapacitor.point(UdfProto.Point.newBuilder().setTime(i).putFieldsDouble("t", i).build());
      String error = kapacitor.take(Response.MessageCase.ERROR).getError().getError();
      assertTrue(error.startsWith("batch 'wide' is over the limit of 2 points"), error);
      assertTrue(error.contains("-Dudf.maxBatchPoints=N among the UDF's JVM flags"), error);
      assertTrue(udf.waitFor(20, TimeUnit.SECONDS), "a failed process session exits");
      assertEquals(1, udf.exitValue());
    } finally {
      udf.destroyForcibly();
    }
  }

  @Test
  void anUnreadableBatchBytesPropertyStopsTheProcessWithItsName() throws Exception {
    String stderr = stderrOfAStartRefusedBy("-Dudf.maxBatchBytes=lots");
    assertTrue(
        stderr.contains(
            "-Dudf.maxBatchBytes takes a positive size in bytes (e.g. 4m, 512k), got lots"),
        stderr);
  }

  /** What the process wrote on stderr, for a failure message. */
  private String stderr() {
    return SpawnedJvm.stderr(dir);
  }

  /** Sends Init and checks that it was accepted. */
  private static void initialize(AgentWire kapacitor) {
    Response init = kapacitor.init().take(Response.MessageCase.INIT);
    assertTrue(init.getInit().getSuccess(), () -> "Init refused: " + init.getInit().getError());
  }
}
