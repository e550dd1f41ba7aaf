package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.internal.MetricsMBean;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import io.pointdata.udf.protocol.Protocol;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A socket UDF's metrics: what is counted, and how it is served. */
class UdfServerMetricsTest {
  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** Forwards points tagged keep, drops (by throwing) those tagged bad, ignores the rest. */
  static final class Sorter implements Udf {
    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().onError(OnError.DROP_AND_LOG).build();
    }

    @Override
    public void point(Point point, Emitter out) {
      if ("bad".equals(point.tag("kind"))) throw new IllegalArgumentException("bad point");
      if ("keep".equals(point.tag("kind"))) out.emit(point);
    }
  }

  /** Fails the session on a point tagged boom. */
  static final class Failing implements Udf {
    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      if ("boom".equals(point.tag("kind"))) throw new UdfException("boom requested");
    }
  }

  private Path socket() {
    return dir.resolve("sorter.sock");
  }

  private UdfServer start(Supplier<? extends Udf> udf) throws Exception {
    server =
        UdfServer.builder(socket())
            .udf(udf)
            .metricsPort(0)
            .shutdownTimeout(Duration.ofSeconds(2))
            .build()
            .start();
    return server;
  }

  private static UdfProto.Point point(String kind, long time) {
    return UdfProto.Point.newBuilder().setTime(time).setName("m").putTags("kind", kind).build();
  }

  private String scrape() throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:" + server.metricsAddress().orElseThrow().getPort() + "/metrics");
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("Content-Type").orElse(""));
    return response.body();
  }

  /**
   * Sessions end on their own thread after the peer sees EOF: wait (bounded) for the count to drop.
   */
  private void awaitNoActiveSession() throws InterruptedException {
    long giveUp = System.nanoTime() + Duration.ofSeconds(AgentWire.WAIT_SECONDS).toNanos();
    while (server.metrics().sessionsActive() > 0 && System.nanoTime() < giveUp) Thread.sleep(10);
    assertEquals(0, server.metrics().sessionsActive(), "sessions still active");
  }

  private static void assertLine(String text, String line) {
    assertTrue(text.lines().anyMatch(line::equals), () -> "no line '" + line + "' in:\n" + text);
  }

  @Test
  void servesWhatASessionDidAsPrometheusText() throws Exception {
    start(Sorter::new);
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      wire.point(point("keep", 1))
          .point(point("bad", 2))
          .point(point("other", 3))
          .point(point("keep", 4));
      wire.keepalive(7);
      // The keepalive is answered on the reader thread, perhaps ahead of the points.
      java.util.List<MessageCase> answers =
          java.util.stream.Stream.generate(wire::take)
              .limit(3)
              .map(UdfProto.Response::getMessageCase)
              .sorted()
              .toList();
      assertEquals(
          java.util.List.of(MessageCase.KEEPALIVE, MessageCase.POINT, MessageCase.POINT).stream()
              .sorted()
              .toList(),
          answers);
      String open = scrape();
      assertLine(open, "udf_sessions_active{udf=\"sorter\"} 1");
      assertLine(
          open,
          "udf_session_points_received{udf=\"sorter\",session=\"socket-1\",task=\"task\",node=\"udf1\"}"
              + " 4");
      assertLine(
          open,
          "udf_session_points_emitted{udf=\"sorter\",session=\"socket-1\",task=\"task\",node=\"udf1\"}"
              + " 2");
      wire.closeInput().takeUntilEof();
    }
    awaitNoActiveSession();
    String text = scrape();
    assertLine(text, "udf_points_received_total{udf=\"sorter\"} 4");
    assertLine(text, "udf_points_emitted_total{udf=\"sorter\"} 2");
    assertLine(text, "udf_batches_received_total{udf=\"sorter\"} 0");
    assertLine(text, "udf_dropped_total{udf=\"sorter\"} 1");
    assertLine(text, "udf_keepalives_total{udf=\"sorter\"} 1");
    assertLine(text, "udf_requests_total{udf=\"sorter\",kind=\"init\"} 1");
    assertLine(text, "udf_requests_total{udf=\"sorter\",kind=\"point\"} 4");
    assertLine(text, "udf_errors_total{udf=\"sorter\",kind=\"handler\"} 0");
    assertLine(text, "udf_sessions_opened_total{udf=\"sorter\"} 1");
    assertLine(text, "udf_sessions_closed_total{udf=\"sorter\"} 1");
    assertLine(text, "udf_sessions_active{udf=\"sorter\"} 0");
    assertLine(text, "udf_queue_depth{udf=\"sorter\"} 0");
    assertLine(text, "udf_handler_seconds_bucket{udf=\"sorter\",le=\"+Inf\"} 4");
    assertLine(text, "udf_handler_seconds_count{udf=\"sorter\"} 4");
    assertFalse(
        text.contains("udf_session_points_received{"), "an ended session has no series left");
  }

  @Test
  void aHandlerFailureIsCountedAsAHandlerError() throws Exception {
    start(Failing::new);
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      wire.point(point("boom", 1)).take(MessageCase.ERROR);
      wire.takeUntilEof();
    }
    awaitNoActiveSession();
    assertEquals(1, server.metrics().errors().get("handler"));
    assertLine(scrape(), "udf_errors_total{udf=\"sorter\",kind=\"handler\"} 1");
  }

  @Test
  void aConnectionBeyondMaxSessionsIsCountedAsRefused() throws Exception {
    server = UdfServer.builder(socket()).udf(Sorter::new).maxSessions(1).build().start();
    try (AgentWire first = AgentWire.connect(socket())) {
      first.init().take(MessageCase.INIT);
      try (AgentWire second = AgentWire.connect(socket())) {
        second.takeUntilEof();
      }
      assertEquals(1, server.metrics().errors().get("refused"));
      assertEquals(1, server.metrics().sessionsOpened(), "a refused connection is no session");
      first.closeInput().takeUntilEof();
    }
  }

  @Test
  void theEndpointListensOnLoopbackUnlessAHostIsGiven() throws Exception {
    start(Sorter::new);
    assertTrue(
        server.metricsAddress().orElseThrow().getAddress().isLoopbackAddress(),
        () -> "listens on " + server.metricsAddress());
    server.close();
    server =
        UdfServer.builder(dir.resolve("any.sock"))
            .udf(Sorter::new)
            .metricsPort(0)
            .metricsHost("0.0.0.0")
            .build()
            .start();
    assertTrue(
        server.metricsAddress().orElseThrow().getAddress().isAnyLocalAddress(),
        () -> "listens on " + server.metricsAddress());
  }

  @Test
  void aPortInUseFailsTheStartNamingTheAddressAndLeavesNoSocketFile() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      UdfServer.Builder builder =
          UdfServer.builder(socket()).udf(Sorter::new).metricsPort(taken.getLocalPort());
      UdfServer failing = builder.build();
      IOException e = assertThrows(IOException.class, failing::start);
      assertTrue(
          e.getMessage()
              .startsWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": "),
          e.getMessage());
      assertFalse(
          Files.exists(socket()), "socket file created although the server failed to start");
    }
  }

  @Test
  void aPortOutOfRangeIsRefusedByTheBuilder() {
    UdfServer.Builder builder = UdfServer.builder(socket()).udf(Sorter::new);
    assertEquals(
        "metrics port out of range 0-65535: 65536",
        assertThrows(IllegalArgumentException.class, () -> builder.metricsPort(65536))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.metricsPort(-1));
  }

  @Test
  void theCommandLineTakesAMetricsPortAndRefusesABadOne() {
    assertEquals(
        "--metrics-port: not a port number: http",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    UdfAgent.socketServer(
                        new String[] {"--socket", "x.sock", "--metrics-port", "http"}))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UdfAgent.socketServer(new String[] {"--socket", "x.sock", "--metrics-port", "99999"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> UdfAgent.socketServer(new String[] {"--metrics-port", "9273"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> UdfAgent.socketServer(new String[] {"--socket", "x.sock", "--metrics-port"}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UdfAgent.socketServer(
                new String[] {"--socket", "x.sock", "--metrics-host", "0.0.0.0"}));
  }

  @Test
  void aProcessUdfIsNamedAfterItsClassOrUdfWhenTheClassHasNoName() {
    assertEquals("Sorter", UdfAgent.udfName(Protocol.handler(new Sorter())));
    assertEquals(
        "udf",
        UdfAgent.udfName(
            Protocol.handler(
                new Udf() {
                  @Override
                  public UdfSpec spec() {
                    return UdfSpec.stream().build();
                  }

                  @Override
                  public void point(Point point, Emitter out) {}
                })));
  }

  @Test
  void metricsAreOffByDefault() throws Exception {
    server = UdfServer.builder(socket()).udf(Sorter::new).build().start();
    assertEquals(Optional.empty(), server.metricsAddress());
    assertFalse(
        ManagementFactory.getPlatformMBeanServer().isRegistered(MetricsMBean.objectName("sorter")),
        "an MBean is registered with metrics off");
  }

  @Test
  void jmxShowsTheSameCountsUntilTheServerCloses() throws Exception {
    server = UdfServer.builder(socket()).udf(Sorter::new).jmx(true).build().start();
    try (AgentWire wire = AgentWire.connect(socket())) {
      wire.init().take(MessageCase.INIT);
      wire.point(point("keep", 1)).take(MessageCase.POINT);
      wire.closeInput().takeUntilEof();
    }
    awaitNoActiveSession();
    MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
    assertEquals(1L, beans.getAttribute(MetricsMBean.objectName("sorter"), "PointsReceived"));
    assertEquals(1L, beans.getAttribute(MetricsMBean.objectName("sorter"), "PointsEmitted"));
    assertEquals(0L, beans.getAttribute(MetricsMBean.objectName("sorter"), "SessionsActive"));
    server.close();
    assertFalse(
        beans.isRegistered(MetricsMBean.objectName("sorter")), "the MBean outlives the server");
  }
}
