package org.vitaudit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.metrics.AuditMetrics;

class AdminHttpServerTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private AdminHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = AdminHttpServer.start(0, ready::get, registry);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + server.port() + path);
  }

  @Test
  void livenessAnswersWhileTheProcessRuns() throws Exception {
    assertThat(server.port()).isPositive();
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessFollowsTheCheck() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    ready.set(false);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void notReadySaysWhyOnOneLine() throws Exception {
    assertThat(get("/health/ready").body()).isEqualTo("not ready\n");
    server.close();
    AtomicReference<String> why = new AtomicReference<>("the model cannot be opened:\n  bad file");
    server = AdminHttpServer.start("127.0.0.1", 0, () -> Optional.ofNullable(why.get()), registry);
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("not ready: the model cannot be opened: bad file\n");
    why.set(null);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailingReadinessCheckMeansNotReady() throws Exception {
    server.close();
    server =
        AdminHttpServer.start(
            0,
            () -> {
              throw new IllegalStateException("boom");
            },
            registry);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void metricsArePrometheusTextWithTheAppMeters() throws Exception {
    AuditMetrics metrics = new AuditMetrics(registry);
    metrics.recordIn();
    metrics.recordIn();
    metrics.recordOut();
    metrics.recordDlq("corrupt_image");
    metrics.recordStage(AuditMetrics.Stage.G, Duration.ofMillis(12).toNanos());
    metrics.modelInfo("demo", "ab12", "CUDA:0");

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body().lines())
        .contains(
            "vitaudit_records_in_total 2.0",
            "vitaudit_records_out_total 1.0",
            "vitaudit_records_dlq_total{reason=\"corrupt_image\"} 1.0",
            "vitaudit_stage_seconds_count{stage=\"g\"} 1",
            "vitaudit_model_info{model=\"demo\",provider=\"CUDA:0\",sha256=\"ab12\"} 1");
    // A histogram (buckets), so quantiles can be computed across instances; 12 ms lies below 0.1 s.
    assertThat(r.body())
        .contains("vitaudit_stage_seconds_bucket{stage=\"g\",le=\"0.111848106\"} 1");
    assertThat(r.body()).contains("vitaudit_stage_seconds_bucket{stage=\"h\",le=\"+Inf\"} 0");
  }

  @Test
  void unknownPathsAndWritesAreRefused() throws Exception {
    assertThat(get("/health/livez").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  /** Sends raw bytes and reads the status line, or null where the server closed without one. */
  private String raw(String request, byte[] body) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      } catch (SocketException e) {
        // the server may answer and close before the whole request is written
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      try {
        return in.readLine();
      } catch (SocketException e) {
        return null;
      }
    }
  }

  /** Whether the server closes the connection after answering {@code request}. */
  private boolean closedAfter(String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getInputStream().readAllBytes(); // returns at end of stream; times out on a kept-alive one
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void onlyTheDocumentedPathsAnswerAndOnlyToGetAndHead() throws Exception {
    for (String path :
        List.of("/", "/health", "/health/", "/health/live/x", "/metricsz", "/admin")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    for (String method : List.of("PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(uri("/health/live"))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
    }
    HttpResponse<String> head =
        send(
            HttpRequest.newBuilder(uri("/health/live"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(
            raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void oversizedRequestsAreRefused() throws Exception {
    String big = "a".repeat(AdminHttpServer.MAX_HEAD_BYTES + 1);
    assertThat(
            raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n", new byte[0]))
        .startsWith("HTTP/1.1 431");
    assertThat(raw("GET /health/live?" + big + " HTTP/1.1\r\nHost: x\r\n\r\n", new byte[0]))
        .startsWith("HTTP/1.1 431");

    byte[] body = new byte[AdminHttpServer.MAX_BODY_BYTES + 1];
    assertThat(
            raw(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n",
                body))
        .startsWith("HTTP/1.1 413");
    assertThat(
            raw(
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n",
                new byte[0]))
        .startsWith("HTTP/1.1 413");
    String chunk =
        Integer.toHexString(body.length) + "\r\n" + "b".repeat(body.length) + "\r\n0\r\n\r\n";
    assertThat(
            raw(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk,
                new byte[0]))
        .startsWith("HTTP/1.1 413");
    assertThat(closedAfter("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n"))
        .isTrue();
    // Far over the limit, the JDK's own cap may close the connection first: refused either way.
    String huge = "c".repeat(1024 * 1024);
    assertThat(
            raw(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Huge: " + huge + "\r\n\r\n",
                new byte[0]))
        .satisfiesAnyOf(
            line -> assertThat(line).isNull(), line -> assertThat(line).contains(" 431 "));
    // A small body is harmless and still served.
    assertThat(
            raw(
                "GET /health/live HTTP/1.1\r\n"
                    + "Host: x\r\n"
                    + "Content-Length: 2\r\n"
                    + "Connection: close\r\n\r\n",
                new byte[] {'h', 'i'}))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void theBindAddressIsConfigurable() throws Exception {
    try (AdminHttpServer local = AdminHttpServer.start("127.0.0.1", 0, ready::get, registry)) {
      assertThat(local.address().getAddress().isLoopbackAddress()).isTrue();
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + local.port() + "/health/live"))
                  .GET()
                  .build());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(server.address().getAddress().isAnyLocalAddress())
        .as("default: every interface")
        .isTrue();
    AppConfig defaults = new AppConfig(Map.of());
    assertThat(defaults.getString(AppConfig.HTTP_BIND_ADDRESS_CONFIG)).isEqualTo("0.0.0.0");
    assertThat(
            InetAddress.getByName(defaults.getString(AppConfig.HTTP_BIND_ADDRESS_CONFIG))
                .isAnyLocalAddress())
        .isTrue();
  }
}
