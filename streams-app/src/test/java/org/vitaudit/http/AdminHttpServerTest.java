package org.vitaudit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
}
