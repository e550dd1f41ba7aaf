package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The agent in a JVM of its own with the recommended flags ({@code -XX:+UseSerialGC -Xmn24m
 * -Xmx64m}) and its default limits, under what used to exhaust its heap or its threads: each
 * scenario ends in an answer or an ErrorResponse within seconds, never a hang, and the process
 * exits with a status a supervisor reads right. RELIABILITY.md, "Memory", lists them.
 */
class MemoryPressureTest {
  static final List<String> RECOMMENDED_FLAGS =
      List.of(
          "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-Xmn24m", "-Xmx64m");
  private static final byte[] INFO = {0x02, 0x0a, 0x00};

  @TempDir Path dir;
  private final List<Process> spawned = new ArrayList<>();

  @AfterEach
  void killSpawned() {
    spawned.forEach(Process::destroyForcibly);
  }

  private Process spawn(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(RECOMMENDED_FLAGS);
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"); // the tests' own setting is off
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), MemoryMain.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    spawned.add(process);
    return process;
  }

  private Path serve(String udf) throws Exception {
    Path socket = dir.resolve(udf + ".sock");
    spawn(udf, "--socket", socket.toString());
    for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(50);
    assertTrue(Files.exists(socket), "socket created within 30 s");
    AgentWire.connectWhenListening(socket, Duration.ofSeconds(30)).close();
    return socket;
  }

  private String stderr() {
    return SpawnedJvm.stderr(dir);
  }

  private static List<Response> responses(byte[] stdout) throws IOException {
    FrameReader<Response> frames =
        new FrameReader<>(new ByteArrayInputStream(stdout), Response.parser(), 64 << 20);
    List<Response> all = new ArrayList<>();
    for (Response r; (r = frames.read()) != null; ) all.add(r);
    return all;
  }

  static byte[] framed(Request... requests) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes);
    for (Request r : requests) writer.write(r);
    writer.flush();
    return bytes.toByteArray();
  }

  /** An Init, and the answer the UDFs here give it. */
  static final Request INIT =
      Request.newBuilder()
          .setInit(UdfProto.InitRequest.newBuilder().setTaskID("task").setNodeID("udf1"))
          .build();

  static final Response INITIALIZED =
      Response.newBuilder().setInit(UdfProto.InitResponse.newBuilder().setSuccess(true)).build();

  static byte[] framed(Response response) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes);
    writer.write(response);
    writer.flush();
    return bytes.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  static Request pointOf(int stringBytes, long time) {
    return Request.newBuilder()
        .setPoint(
            UdfProto.Point.newBuilder()
                .setTime(time)
                .setName("m")
                .putFieldsDouble("t", 30.0)
                .putFieldsString("blob", "x".repeat(stringBytes)))
        .build();
  }

  // ---------------------------------------------------------------- frames

  @Test
  void aFrameLargerThanTheHeapCanHoldIsRefusedAtOnceAndTheProcessExitsOne() throws Exception {
    Process udf = spawn("stream");
    OutputStream stdin = udf.getOutputStream();
    // Info, then a point frame declaring 50 MiB (under the 64 MiB maximum) whose body never comes.
    stdin.write(
        new byte[] {
          0x02, 0x0a, 0x00, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x18, (byte) 0x8a, 0x01
        });
    stdin.flush();
    // stdin stays open: the refusal must not wait for the rest of the frame, nor for EOF.
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), "the process exits without end of input");
    assertEquals(1, udf.exitValue(), "a failed session is a failed process");
    List<Response> out = responses(udf.getInputStream().readAllBytes());
    assertEquals(2, out.size(), out::toString);
    assertEquals(Response.MessageCase.INFO, out.get(0).getMessageCase());
    String error = out.get(1).getError().getError();
    assertTrue(
        error.startsWith(
            "read error: frame 2 declares 50331648 bytes, over the agent's in-flight budget of "),
        error);
    assertFalse(stderr().contains("OutOfMemoryError"), this::stderr);
  }

  @Test
  void aFrameCutShortEndsWithAnErrorAndExitStatusOne() throws Exception {
    Process udf = spawn("stream");
    try (OutputStream stdin = udf.getOutputStream()) {
      stdin.write(framed(pointOf(1 << 20, 1)), 0, 1 << 19); // half of a 1 MiB point, then EOF
    }
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), () -> "no exit within 30 s: " + stderr());
    assertEquals(1, udf.exitValue());
    List<Response> out = responses(udf.getInputStream().readAllBytes());
    assertEquals(1, out.size(), out::toString);
    assertTrue(
        out.get(0)
            .getError()
            .getError()
            .startsWith("read error: unexpected EOF in frame 1, expected "),
        out.toString());
  }

  @Test
  void aLargePointArrivingSlowlyIsAnsweredByteForByte() throws Exception {
    Process udf = spawn("stream");
    byte[] points = framed(pointOf(12 << 20, 1), pointOf(10, 2));
    byte[] input = concat(framed(INIT), points);
    CompletableFuture<byte[]> stdout =
        CompletableFuture.supplyAsync(() -> readAll(udf.getInputStream()));
    try (OutputStream stdin = udf.getOutputStream()) {
      for (int at = 0; at < input.length; at += 256 << 10) {
        stdin.write(input, at, Math.min(256 << 10, input.length - at));
        stdin.flush();
        Thread.sleep(20); // about a second in all
      }
    }
    assertArrayEquals(
        concat(framed(INITIALIZED), points),
        stdout.get(60, TimeUnit.SECONDS),
        "both points back as they came");
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), () -> "no exit within 30 s: " + stderr());
    assertEquals(0, udf.exitValue(), this::stderr);
  }

  @Test
  void threePointsOf16MiBAtOnceAreAllAnswered() throws Exception {
    Path socket = serve("stream");
    byte[] frame = framed(pointOf(16 << 20, 7));
    byte[] input = concat(framed(INIT), frame);
    byte[] expected = concat(framed(INITIALIZED), frame);
    ExecutorService clients = Executors.newFixedThreadPool(3);
    try {
      List<Future<byte[]>> answers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        answers.add(
            clients.submit(
                () -> {
                  try (AFUNIXSocket s =
                      AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
                    s.getOutputStream().write(input);
                    s.getChannel().shutdownOutput(); // not Socket's: fails on JDK 25
                    return s.getInputStream().readAllBytes();
                  }
                }));
      }
      for (Future<byte[]> answer : answers) {
        assertArrayEquals(
            expected, answer.get(120, TimeUnit.SECONDS), "the point back, then a clean close");
      }
    } finally {
      clients.shutdownNow();
    }
    assertFalse(stderr().contains("OutOfMemoryError"), this::stderr);
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void servesItsDefault1024SessionsRefusesTheRestClearlyAndServesALaterOne() throws Exception {
    Path socket = serve("stream");
    List<AFUNIXSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 1100; i++) {
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()));
        s.setSoTimeout(60_000);
        s.getOutputStream().write(INFO);
        sockets.add(s);
      }
      int served = 0;
      int refused = 0;
      for (AFUNIXSocket s : sockets) {
        Response r = new FrameReader<>(s.getInputStream(), Response.parser(), 1 << 20).read();
        if (r.hasInfo()) {
          served++;
        } else {
          assertTrue(
              r.getError()
                  .getError()
                  .startsWith("refused: the UDF server already serves 1024 sessions"),
              r.toString());
          refused++;
        }
      }
      assertEquals(1024, served);
      assertEquals(76, refused);
      sockets.get(0).close();
      // The closed session leaves within moments; until then a new connection is still refused
      // (answered with the error and closed, so that sending to it may fail): try again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String last = "nothing";
      boolean laterServed = false;
      while (!laterServed && System.nanoTime() < deadline) {
        try (AFUNIXSocket later = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
          later.setSoTimeout(30_000);
          later.getOutputStream().write(INFO);
          Response r = new FrameReader<>(later.getInputStream(), Response.parser(), 1 << 20).read();
          laterServed = r != null && r.hasInfo();
          last = String.valueOf(r);
        } catch (IOException e) {
          last = e.toString();
        }
        if (!laterServed) Thread.sleep(100);
      }
      assertTrue(laterServed, last);
    } finally {
      for (AFUNIXSocket s : sockets) s.close();
    }
    assertFalse(stderr().contains("OutOfMemoryError"), this::stderr);
  }

  @Test
  void twoHundredConnectionsAtOnceAreAllQueuedAndServed() throws Exception {
    assumeTrue(kernelBacklog() >= 200, "the kernel caps listen backlogs below 200");
    Path socket = serve("stream");
    Process udf = spawned.get(0);
    List<SocketChannel> channels = new ArrayList<>();
    // Stopped, the server accepts nothing: all 200 wait in its backlog, as when Kapacitor starts
    // many tasks at once. Go's non-blocking connect fails at once (EAGAIN) when the backlog is
    // full.
    signal("STOP", udf);
    try {
      for (int i = 0; i < 200; i++) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.configureBlocking(false);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channels.add(channel);
      }
    } finally {
      signal("CONT", udf);
    }
    for (SocketChannel channel : channels) {
      channel.configureBlocking(true);
      while (!channel.finishConnect()) Thread.sleep(1);
      channel.write(ByteBuffer.wrap(INFO));
    }
    for (SocketChannel channel : channels) {
      try (channel) {
        InputStream in = java.nio.channels.Channels.newInputStream(channel);
        Response r = new FrameReader<>(in, Response.parser(), 1 << 20).read();
        assertTrue(r.hasInfo(), r::toString);
      }
    }
  }

  private static int kernelBacklog() {
    try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
      return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void signal(String name, Process process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
  }

  // ---------------------------------------------------------------- batches

  @Test
  void anUnendingBatchEndsItsSessionWithAnErrorWhileAnotherSessionGoesOn() throws Exception {
    Path socket = serve("batch");
    try (AgentWire endless = AgentWire.connect(socket);
        AgentWire steady = AgentWire.connect(socket)) {
      endless.init().take(Response.MessageCase.INIT);
      steady.init().take(Response.MessageCase.INIT);
      endless.send(
          Request.newBuilder()
              .setBegin(UdfProto.BeginBatch.newBuilder().setName("endless"))
              .build());
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> feeding =
          CompletableFuture.runAsync(
              () -> {
                UdfProto.Point point =
                    UdfProto.Point.newBuilder()
                        .setTime(1)
                        .putTags("host", "a")
                        .putFieldsDouble("t", 1)
                        .build();
                try {
                  for (long i = 0; !stop.get(); i++)
                    endless.sendBuffered(Request.newBuilder().setPoint(point).build());
                } catch (RuntimeException closed) {
                  // the agent closed the session: done
                }
              });
      int batches = 0;
      try {
        // Meanwhile the other session's batches are answered, one after another, until the agent
        // ends the endless one (which ends the feeding: its writes fail).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!feeding.isDone() && System.nanoTime() < deadline) {
          sendBatch(steady, "steady-" + batches, 100);
          assertEquals(
              100,
              steady.take(Response.MessageCase.POINT).getPoint().getFieldsIntOrThrow("points"));
          batches++;
        }
        String error = endless.take(Response.MessageCase.ERROR).getError().getError();
        assertTrue(error.startsWith("batch 'endless' is over the limit of "), error);
        assertTrue(
            error.endsWith(
                "(-Dudf.maxBatchBytes=SIZE among the UDF's JVM flags,"
                    + " or UdfServer.Builder.maxBatchBytes, raises it)"),
            error);
      } finally {
        stop.set(true);
      }
      sendBatch(steady, "after", 3);
      assertEquals(
          3, steady.take(Response.MessageCase.POINT).getPoint().getFieldsIntOrThrow("points"));
      assertTrue(batches > 0, "no batch of the steady session was answered meanwhile");
    }
    assertFalse(stderr().contains("OutOfMemoryError"), this::stderr);
  }

  private static void sendBatch(AgentWire wire, String name, int points) {
    wire.send(
        Request.newBuilder()
            .setBegin(UdfProto.BeginBatch.newBuilder().setName(name).setSize(points))
            .build());
    for (int i = 0; i < points; i++) {
      wire.sendBuffered(
          Request.newBuilder()
              .setPoint(UdfProto.Point.newBuilder().setTime(i).putFieldsDouble("t", i))
              .build());
    }
    wire.send(
        Request.newBuilder()
            .setEnd(UdfProto.EndBatch.newBuilder().setName(name).setTmax(points))
            .build());
  }

  // ---------------------------------------------------------------- exit statuses and logs

  @Test
  void sigtermAfterACleanDrainExitsZeroAndRemovesTheSocketFile() throws Exception {
    Path socket = serve("stream");
    try (AgentWire kapacitor = AgentWire.connect(socket)) {
      kapacitor.info().take(Response.MessageCase.INFO);
    }
    Process udf = spawned.get(0);
    udf.destroy(); // SIGTERM, as systemctl stop sends it
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), () -> "no exit within 30 s: " + stderr());
    assertEquals(0, udf.exitValue(), this::stderr);
    assertFalse(Files.exists(socket), "the socket file is left after SIGTERM");
  }

  @Test
  void aFloodOfEmptyFramesLogsAFewLinesAndTheSessionGoesOn() throws Exception {
    Process udf = spawn("stream");
    try (OutputStream stdin = udf.getOutputStream()) {
      stdin.write(new byte[200_000]); // 200,000 empty frames: requests of no known kind
      stdin.write(INFO);
    }
    List<Response> out = responses(udf.getInputStream().readAllBytes());
    assertTrue(udf.waitFor(30, TimeUnit.SECONDS), () -> "no exit within 30 s: " + stderr());
    assertEquals(0, udf.exitValue(), this::stderr);
    assertEquals(1, out.size());
    assertEquals(Response.MessageCase.INFO, out.get(0).getMessageCase());
    List<String> warnings =
        stderr().lines().filter(l -> l.contains("ignoring a request of unknown kind")).toList();
    // The first ten, then every thousandth: 10 + 200 lines, the last with the running count.
    assertEquals(210, warnings.size());
    assertTrue(
        warnings.get(warnings.size() - 1).endsWith("; 200000 so far"),
        warnings.get(warnings.size() - 1));
  }

  @Test
  void anErrorAboutAHundredThousandOptionsIsCappedWithACountOfWhatWasLeftOut() throws Exception {
    UdfProto.InitRequest.Builder init =
        UdfProto.InitRequest.newBuilder().setTaskID("t").setNodeID("n");
    for (int i = 0; i < 100_000; i++)
      init.addOptions(AgentWire.option("unknown" + i, AgentWire.doubleValue(i)));
    try (AgentWire wire = AgentWire.start(new MemoryMain.Forward())) {
      String error =
          wire.send(Request.newBuilder().setInit(init).build())
              .take(Response.MessageCase.INIT)
              .getInit()
              .getError();
      assertTrue(
          error.length() <= io.pointdata.udf.internal.Errors.MAX_MESSAGE_LENGTH,
          () -> "length " + error.length());
      assertTrue(
          error.matches("(?s).*… \\(\\d+ more characters left out\\)"),
          error.substring(error.length() - 80));
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
