package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.AppConfig;
import org.vitaudit.scenes.ShapeClass;
import org.vitaudit.testing.RunSettings;
import org.vitaudit.testing.TestBroker;

/**
 * The whole thing a dashboard watches, for its integration tests: the auditing application with the
 * demo model on a broker, the dashboard over its topics from their beginning, generated scenes in
 * (some sent with a wrong label, some corrupt), and the dashboard's API.
 */
final class LivePipeline implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final AppConfig config;
  final Dashboard dashboard;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AuditApplication app;

  private LivePipeline(AppConfig config) {
    this.config = config;
    this.app = AuditApplication.start(config);
    this.dashboard =
        Dashboard.start(
            config, DashboardSettings.DEFAULTS, new StartAt.Beginning(), "127.0.0.1", 0);
  }

  /** Topics and application id of this run only; no model.path, so the demo model audits. */
  static LivePipeline start(String bootstrapServers) throws IOException {
    return new LivePipeline(
        new AppConfig(
            RunSettings.of(
                bootstrapServers,
                Files.createTempDirectory("vit-audit-dashboard-it"),
                AppConfig.APPLICATION_ID_CONFIG,
                TestBroker.uniqueName("vit-audit-dashboard-it"))));
  }

  /** Stops the application and starts it again (same group, same state): a redeploy. */
  void restartApplication() {
    app.close();
    app = AuditApplication.start(config);
  }

  /**
   * Sends {@code scenes} generated scenes, every {@code wrongEvery}-th with a label that is not its
   * object's, and a corrupt event after every {@code corruptEvery} scenes.
   */
  List<DemoEvents.Sent> send(
      String runId, int scenes, long seed, int corruptEvery, int wrongEvery) {
    List<DemoEvents.Sent> sent = new ArrayList<>();
    int n = 0;
    for (DemoEvents.Sent e : DemoEvents.make(runId, scenes, seed, corruptEvery)) {
      boolean wrong = e.scene().isPresent() && ++n % wrongEvery == 0;
      sent.add(wrong ? e.withLabel(otherThan(e.label().orElseThrow())) : e);
    }
    DemoEvents.produce(config.clientProperties(), inputTopic(), sent);
    return sent;
  }

  private static String otherThan(String label) {
    ShapeClass[] all = ShapeClass.values();
    for (int i = 0; i < all.length; i++) {
      if (all[i].label().equals(label)) {
        return all[(i + 1) % all.length].label();
      }
    }
    return all[0].label();
  }

  String inputTopic() {
    return config.getString(AppConfig.INPUT_TOPIC_CONFIG);
  }

  String url(String path) {
    return "http://127.0.0.1:" + dashboard.port() + path;
  }

  JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The status of a GET, its body dropped: for images. */
  int status(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  Views.Summary summary() {
    return dashboard.state().summary();
  }

  static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within " + timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    dashboard.close();
    app.close();
  }
}
