package org.vitaudit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operational HTTP endpoints: {@code /health/live} (200 while the process serves requests),
 * {@code /health/ready} (200 only while the readiness check says yes, else 503) and {@code
 * /metrics} (Prometheus text format). Runs on its own two threads so that a busy stream thread
 * never delays a probe.
 */
public final class AdminHttpServer implements AutoCloseable {

  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  public static final String METRICS_PATH = "/metrics";

  /** Prometheus text exposition format 0.0.4, which every Prometheus version scrapes. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on all interfaces (container probes come from outside the pod).
   *
   * @param port 0 picks a free port; see {@link #port()}
   * @param ready asked on every {@code /health/ready} request; an exception counts as not ready
   */
  public static AdminHttpServer start(
      int port, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("admin-http"));
    server.setExecutor(executor);
    server.createContext(LIVE_PATH, ex -> respond(ex, LIVE_PATH, 200, "text/plain", "live\n"));
    server.createContext(
        READY_PATH,
        ex -> {
          boolean ok = isReady(ready);
          respond(ex, READY_PATH, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
    server.createContext(
        METRICS_PATH,
        ex -> respond(ex, METRICS_PATH, 200, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT)));
    server.start();
    LOG.info("Health and metrics endpoints on port {}", server.getAddress().getPort());
    return new AdminHttpServer(server, executor);
  }

  /** The port actually bound (useful after asking for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static boolean isReady(BooleanSupplier ready) {
    try {
      return ready.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("Readiness check failed; reporting not ready", e);
      return false;
    }
  }

  // Contexts match by prefix; only the exact path and GET/HEAD are part of the contract.
  private static void respond(
      HttpExchange ex, String path, int status, String contentType, String body)
      throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!ex.getRequestURI().getPath().equals(path)) {
        send(ex, 404, "text/plain", "not found\n", method);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain", "method not allowed\n", method);
      } else {
        send(ex, status, contentType, body, method);
      }
    }
  }

  private static void send(
      HttpExchange ex, int status, String contentType, String body, String method)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (method.equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
