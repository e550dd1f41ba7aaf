package io.pointdata.udf.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a UDF's metrics as Prometheus text on {@code http://HOST:PORT/metrics}, with the JDK's own
 * HTTP server on one daemon thread. Safe to close more than once.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on {@code host:port} (port 0: any free port).
   *
   * @throws IOException naming the address, if it cannot be bound (e.g. the port is in use)
   */
  public static MetricsEndpoint start(MetricsRegistry registry, String host, int port)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved())
      throw new IOException("cannot serve metrics on " + host + ": unknown host");
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "udf-metrics " + registry.udf());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> serve(exchange, registry));
    server.start();
    MetricsEndpoint endpoint = new MetricsEndpoint(server, executor);
    log.info("metrics of UDF '{}' on http://{}/metrics", registry.udf(), endpoint.addressText());
    return endpoint;
  }

  /** The address listened on, with the port actually bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private String addressText() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static void serve(HttpExchange exchange, MetricsRegistry registry) {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = PrometheusText.format(registry.snapshot()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (Throwable e) { // a failed scrape must never take the server's thread down
      log.warn("metrics of UDF '{}': could not answer a scrape: {}", registry.udf(), e.toString());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    server.stop(0);
    executor.shutdownNow();
  }
}
