package org.vitaudit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operational HTTP endpoints: {@code /health/live} (200 while the process serves requests),
 * {@code /health/ready} (200 only while the readiness check says yes, else 503 with its reason, on
 * one line) and {@code /metrics} (Prometheus text format). Runs on its own two threads so that a
 * busy stream thread never delays a probe.
 *
 * <p>Only those three paths answer (anything else is 404), only to GET and HEAD (anything else is
 * 405), and a request whose head is over {@value #MAX_HEAD_BYTES} bytes (431) or that carries a
 * body over {@value #MAX_BODY_BYTES} bytes (413) is refused before it is served.
 */
public final class AdminHttpServer implements AutoCloseable {

  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  public static final String METRICS_PATH = "/metrics";

  /** Largest request line plus headers served. */
  static final int MAX_HEAD_BYTES = 8 * 1024;

  /** Largest request body accepted (the endpoints read none). */
  static final int MAX_BODY_BYTES = 1024;

  /** Prometheus text exposition format 0.0.4, which every Prometheus version scrapes. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

  /** What a path answers: status, content type and body. */
  private record Answer(int status, String contentType, String body) {}

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on every interface (container probes come from outside the pod).
   *
   * @param port 0 picks a free port; see {@link #port()}
   * @param ready asked on every {@code /health/ready} request; an exception counts as not ready
   */
  public static AdminHttpServer start(
      int port, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
    return start(new InetSocketAddress(port), Readiness.of(ready), registry);
  }

  /**
   * Starts serving on one address.
   *
   * @param bindAddress an address or name of this host; 0.0.0.0 is every interface
   */
  public static AdminHttpServer start(
      String bindAddress, int port, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    return start(bindAddress, port, Readiness.of(ready), registry);
  }

  /**
   * Starts serving on one address, {@code /health/ready} answering 503 with the reason the
   * readiness gives.
   *
   * @param bindAddress an address or name of this host; 0.0.0.0 is every interface
   */
  public static AdminHttpServer start(
      String bindAddress, int port, Readiness ready, PrometheusMeterRegistry registry)
      throws IOException {
    return start(new InetSocketAddress(InetAddress.getByName(bindAddress), port), ready, registry);
  }

  private static AdminHttpServer start(
      InetSocketAddress address, Readiness ready, PrometheusMeterRegistry registry)
      throws IOException {
    Map<String, Supplier<Answer>> paths =
        Map.of(
            LIVE_PATH,
            () -> new Answer(200, "text/plain", "live\n"),
            READY_PATH,
            () ->
                notReadyBecause(ready)
                    .map(why -> new Answer(503, "text/plain", notReady(why)))
                    .orElse(new Answer(200, "text/plain", "ready\n")),
            METRICS_PATH,
            () -> new Answer(200, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT)));
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("admin-http"));
    server.setExecutor(executor);
    server.createContext("/", ex -> respond(ex, paths));
    server.start();
    LOG.info(
        "Health and metrics endpoints on address {} port {}",
        server.getAddress().getAddress().getHostAddress(),
        server.getAddress().getPort());
    return new AdminHttpServer(server, executor);
  }

  /** The port actually bound (useful after asking for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address and port actually bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static Optional<String> notReadyBecause(Readiness ready) {
    try {
      return ready.notReadyBecause();
    } catch (RuntimeException e) {
      LOG.warn("Readiness check failed; reporting not ready", e);
      return Optional.of("the readiness check failed: " + e);
    }
  }

  /** "not ready", and the reason on the same line (a reason never spans lines here). */
  private static String notReady(String why) {
    String line = why.replaceAll("\\s+", " ").trim();
    return line.isEmpty() ? "not ready\n" : "not ready: " + line + "\n";
  }

  private static void respond(HttpExchange ex, Map<String, Supplier<Answer>> paths)
      throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      Supplier<Answer> answer = paths.get(ex.getRequestURI().getPath());
      if (headBytes(ex) > MAX_HEAD_BYTES) {
        send(ex, new Answer(431, "text/plain", "request header fields too large\n"), method);
      } else if (bodyTooLarge(ex)) {
        send(ex, new Answer(413, "text/plain", "request body too large\n"), method);
      } else if (answer == null) {
        send(ex, new Answer(404, "text/plain", "not found\n"), method);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, new Answer(405, "text/plain", "method not allowed\n"), method);
      } else {
        send(ex, answer.get(), method);
      }
    }
  }

  /** The request line and headers, about as many bytes as they took on the wire. */
  private static long headBytes(HttpExchange ex) {
    long n = ex.getRequestMethod().length() + ex.getRequestURI().toString().length() + 12;
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      for (String v : h.getValue()) {
        n += h.getKey().length() + v.length() + 4;
      }
    }
    return n;
  }

  /** Reads at most one byte more than the limit of the body; whether there was more. */
  private static boolean bodyTooLarge(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && !length.trim().matches("\\d{1,9}")) {
      return true;
    }
    if (length != null && Integer.parseInt(length.trim()) > MAX_BODY_BYTES) {
      return true;
    }
    try (InputStream body = ex.getRequestBody()) {
      return body.readNBytes(MAX_BODY_BYTES + 1).length > MAX_BODY_BYTES;
    }
  }

  private static void send(HttpExchange ex, Answer answer, String method) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", answer.contentType());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (answer.status() == 413 || answer.status() == 431) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    if (method.equals("HEAD")) {
      ex.sendResponseHeaders(answer.status(), -1);
      return;
    }
    ex.sendResponseHeaders(answer.status(), bytes.length);
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
