package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read window as an operator sets it: {@link UdfServer.Builder#readWindow} and {@code
 * -Dudf.readWindow}. Each window is far longer than the tests wait, so a session that waited one
 * out at the end of input would fail them.
 */
class ReadWindowTest {
  private static final Duration LONG_WINDOW = Duration.ofMinutes(5);
  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static UdfProto.Point point(long time) {
    return UdfProto.Point.newBuilder().setTime(time).setName("m").build();
  }

  @Test
  void builderAcceptsZeroAndRefusesANegativeWindow() {
    UdfServer.builder(dir.resolve("udf.sock")).readWindow(Duration.ZERO);
    UdfServer.Builder builder = UdfServer.builder(dir.resolve("udf.sock"));
    assertThrows(IllegalArgumentException.class, () -> builder.readWindow(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> builder.readWindow(null));
  }

  @Test
  void socketSessionWithALongWindowAnswersEveryPointAndEndsWhenKapacitorHalfCloses()
      throws Exception {
    Path socket = dir.resolve("udf.sock");
    server =
        UdfServer.builder(socket)
            .udf(UdfServerTest.Counter::new)
            .readWindow(LONG_WINDOW)
            .shutdownTimeout(Duration.ofSeconds(2))
            .build()
            .start();
    try (AgentWire kapacitor = AgentWire.connectWhenListening(socket, Duration.ofSeconds(10))) {
      kapacitor.init();
      Response init = kapacitor.take(Response.MessageCase.INIT);
      assertTrue(init.getInit().getSuccess(), () -> "Init refused: " + init.getInit().getError());
      for (int i = 1; i <= 3; i++) kapacitor.point(point(i));
      assertEquals(
          1,
          kapacitor.take(Response.MessageCase.POINT).getPoint().getTime(),
          "answered within the window");
      kapacitor.keepalive(9);
      for (int i = 4; i <= 5; i++) kapacitor.point(point(i));
      kapacitor.closeInput();
      List<Long> times = new ArrayList<>();
      for (Response r : kapacitor.takeUntilEof()) {
        if (r.hasPoint()) times.add(r.getPoint().getTime());
      }
      assertEquals(
          List.of(2L, 3L, 4L, 5L), times, "every answer, in order, before the session closed");
    }
  }

  @Test
  void processUdfTakesTheWindowPropertyAndExitsAtEndOfInputWithEveryAnswer() throws Exception {
    Process udf = spawn("-Dudf.readWindow=300s");
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    Request.newBuilder()
        .setInfo(UdfProto.InfoRequest.getDefaultInstance())
        .build()
        .writeDelimitedTo(frames);
    Request.newBuilder()
        .setInit(UdfProto.InitRequest.newBuilder().setTaskID("t").setNodeID("n"))
        .build()
        .writeDelimitedTo(frames);
    for (int i = 1; i <= 3; i++)
      Request.newBuilder().setPoint(point(i)).build().writeDelimitedTo(frames);
    try (OutputStream stdin = udf.getOutputStream()) {
      stdin.write(frames.toByteArray());
    }
    byte[] stdout = udf.getInputStream().readAllBytes();
    assertTrue(
        udf.waitFor(30, TimeUnit.SECONDS),
        "the process exits after stdin EOF, not after the window");
    assertEquals(0, udf.exitValue());
    FrameReader<Response> responses =
        new FrameReader<>(new ByteArrayInputStream(stdout), Response.parser(), 1 << 20);
    List<Response.MessageCase> kinds = new ArrayList<>();
    for (Response r; (r = responses.read()) != null; ) kinds.add(r.getMessageCase());
    assertEquals(
        List.of(
            Response.MessageCase.INFO,
            Response.MessageCase.INIT,
            Response.MessageCase.POINT,
            Response.MessageCase.POINT,
            Response.MessageCase.POINT),
        kinds);
  }

  @Test
  void anUnreadableWindowPropertyStopsTheProcessWithItsName() throws Exception {
    Process udf = spawn("-Dudf.readWindow=soon");
    udf.getOutputStream().close();
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), () -> "no exit within 30 s: " + stderr());
    assertNotEquals(0, udf.exitValue(), () -> "exit status; stderr: " + stderr());
    assertEquals(0, udf.getInputStream().readAllBytes().length, "nothing on the protocol channel");
    String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertTrue(stderr.contains("-Dudf.readWindow: "), stderr);
  }

  private Process spawn(String property) throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            property,
            "-cp",
            System.getProperty("java.class.path"),
            StdioMain.class.getName());
    return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
  }

  /** What the process wrote on stderr, for a failure message. */
  private String stderr() {
    return SpawnedJvm.stderr(dir);
  }
}
