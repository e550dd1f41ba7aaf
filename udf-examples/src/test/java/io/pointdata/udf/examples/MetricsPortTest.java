package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad {@code --metrics-port} is a clear error at start, before any socket is served. */
class MetricsPortTest {
  @TempDir Path dir;

  private String[] errorOf(int expectedStatus, String... args) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertEquals(expectedStatus, status, err.toString(StandardCharsets.UTF_8));
    return err.toString(StandardCharsets.UTF_8).split("\n");
  }

  @Test
  void aPortInUseIsAnErrorNamingItAndNoSocketIsLeft() throws Exception {
    Path socket = dir.resolve("temperature.sock");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      String first =
          errorOf(1, "temperature", "--socket", socket.toString(), "--metrics-port", port)[0];
      assertTrue(
          first.startsWith("error: cannot serve metrics on 127.0.0.1:" + port + ": "), first);
    }
    assertFalse(Files.exists(socket), "socket file created although the agent failed to start");
  }

  @Test
  void aPortOutOfRangeIsAUsageError() throws Exception {
    assertEquals(
        "error: metrics port out of range 0-65535: 65536",
        errorOf(
            Main.USAGE_ERROR,
            "temperature",
            "--socket",
            dir.resolve("t.sock").toString(),
            "--metrics-port",
            "65536")[0]);
    assertEquals(
        "error: --metrics-port: not a port number: x",
        errorOf(Main.USAGE_ERROR, "temperature", "--socket", "--metrics-port", "x")[0]);
  }
}
