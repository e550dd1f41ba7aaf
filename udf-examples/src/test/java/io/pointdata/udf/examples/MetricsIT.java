package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.testing.FakeKapacitor;
import io.pointdata.udf.testing.UdfTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a socket UDF with {@code --metrics-port}: a task's points, scraped as Prometheus text.
 */
class MetricsIT {
  private static final Pattern ENDPOINT =
      Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final int POINTS = 10_000;
  private static final int ANOMALIES = 137;

  @TempDir Path dir;

  @Test
  void countsEveryPointOfATaskAndEndsWithNoActiveSession() throws Exception {
    Path socket = dir.resolve("temperature.sock");
    Path log = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(
                JarIT.java("temperature", "--socket", socket.toString(), "--metrics-port", "0"))
            .redirectError(log.toFile())
            .start();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      assertTrue(Files.exists(socket), "socket created within 60 s");
      Matcher endpoint = ENDPOINT.matcher(Files.readString(log));
      assertTrue(endpoint.find(), () -> "the endpoint's address is logged: " + read(log));
      URI metrics = URI.create("http://127.0.0.1:" + endpoint.group(1) + "/metrics");

      List<Point> points = new ArrayList<>();
      List<Point> anomalies = new ArrayList<>();
      for (int i = 0; i < POINTS; i++) {
        // Every 73rd reading is too cold (ANOMALIES of them); the others are in range.
        double t = i % 73 == 0 ? 12.5 : 22.0;
        Point p =
            Point.named("point_data")
                .tag("host", "h")
                .time(1_700_000_000_000_000_000L + i)
                .field("temperature", t)
                .build();
        points.add(p);
        if (t < 20) anomalies.add(p);
      }
      assertEquals(ANOMALIES, anomalies.size());
      try (FakeKapacitor k = FakeKapacitor.builder(UdfTarget.socket(socket)).build()) {
        k.init(Map.of());
        k.sendAll(points);
        assertEquals(anomalies, k.takePoints(ANOMALIES));
        k.assertNoMorePoints();
      }

      // The task's session ends on its own thread once Kapacitor has closed it.
      String text = scrape(metrics);
      for (int i = 0;
          i < 300 && !text.contains("udf_sessions_active{udf=\"temperature\"} 0\n");
          i++) {
        Thread.sleep(100);
        text = scrape(metrics);
      }
      assertLine(text, "udf_sessions_active{udf=\"temperature\"} 0");
      assertLine(text, "udf_points_received_total{udf=\"temperature\"} " + POINTS);
      assertLine(text, "udf_points_emitted_total{udf=\"temperature\"} " + ANOMALIES);
      assertLine(text, "udf_handler_seconds_count{udf=\"temperature\"} " + POINTS);
      assertLine(text, "udf_handler_seconds_bucket{udf=\"temperature\",le=\"+Inf\"} " + POINTS);
      assertLine(text, "udf_errors_total{udf=\"temperature\",kind=\"handler\"} 0");
      assertLine(
          text,
          "udf_sessions_opened_total{udf=\"temperature\"} 2"); // Kapacitor's Info-only start-up,
      // the task
      assertLine(text, "udf_sessions_closed_total{udf=\"temperature\"} 2");
    } finally {
      process.destroy();
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          () -> "no exit within 30 s of SIGTERM: " + read(log));
    }
  }

  private static String scrape(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private static void assertLine(String text, String line) {
    assertTrue(text.lines().anyMatch(line::equals), () -> "no line '" + line + "' in:\n" + text);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
