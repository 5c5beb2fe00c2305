package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.Preprocessing;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.schemas.AuditRecord;

/** The API over plain HTTP, against a server whose state the test feeds directly (no broker). */
class DashboardApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AuditRecord> audits = new ArrayList<>();
  private final Map<String, Integer> reasons = new HashMap<>();
  private DashboardState state;
  private DashboardServer server;

  @BeforeEach
  void start() throws IOException {
    long now = System.currentTimeMillis();
    state = new DashboardState(DashboardSettings.DEFAULTS, System::currentTimeMillis);
    byte[] picture = png(32, 32);
    InputImages inputs =
        (topic, partition, offset) -> offset == 404 ? Optional.empty() : Optional.of(picture);
    EventImages images =
        new EventImages(
            inputs,
            new ImageDecoder(ImageLimits.DEFAULT),
            new Preprocessor(Preprocessing.IMAGENET),
            8);
    server = DashboardServer.start(state, Optional.of(images), "127.0.0.1", 0);
    for (int i = 0; i < 30; i++) {
      byte[] map = new byte[9];
      map[i % 9] = (byte) 255;
      String known = i % 3 == 0 ? null : DashboardRecords.LABELS[(i / 2) % 4];
      AuditRecord a = DashboardRecords.audit("e" + i, i % 4, known, 10 + i, map, false);
      audits.add(a);
      state.acceptAudit(a, now);
    }
    String[] why = {"corrupt_image", "empty_image", "corrupt_image"};
    for (int i = 0; i < why.length; i++) {
      reasons.merge(why[i], 1, Integer::sum);
      state.acceptDeadLetter(DashboardRecords.deadLetter("bad" + i, why[i], now));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void summaryAndAggregatesEqualWhatWasFed() throws Exception {
    long wrong = audits.stream().filter(a -> Boolean.FALSE.equals(a.getCorrect())).count();
    long labelled = audits.stream().filter(a -> a.getCorrect() != null).count();
    JsonNode s = get("/api/summary");
    assertThat(s.get("audited").asLong()).isEqualTo(audits.size());
    assertThat(s.get("deadLetters").asLong()).isEqualTo(3);
    assertThat(s.get("labelled").asLong()).isEqualTo(labelled);
    assertThat(s.get("model").get("name").asText()).isEqualTo("tiny-vit");
    assertThat(s.get("model").get("sha256Prefix").asText()).isEqualTo("0123456789ab");
    assertThat(s.get("model").get("gridHeight").asInt()).isEqualTo(3);
    assertThat(s.get("eventsPerSecond").asDouble()).isEqualTo(audits.size() / 10.0);

    JsonNode wrongOnes = get("/api/events?wrong=true&limit=1000");
    assertThat(wrongOnes.size()).isEqualTo(wrong);
    JsonNode agg = get("/api/aggregates");
    Map<String, Integer> byReason = new HashMap<>();
    agg.get("deadLettersByReason")
        .fields()
        .forEachRemaining(e -> byReason.put(e.getKey(), e.getValue().asInt()));
    assertThat(byReason).isEqualTo(reasons);
    assertThat(agg.get("accuracySinceStart").get("labelled").asLong()).isEqualTo(labelled);
    assertThat(get("/api/events?reason=empty_image").size()).isEqualTo(1);
    assertThat(get("/api/drift").size()).isEqualTo(4);
  }

  @Test
  void detailAndImagesOfAnEvent() throws Exception {
    JsonNode newestAudit = get("/api/events?class=three").get(0);
    long seq = newestAudit.get("seq").asLong();
    JsonNode detail = get("/api/events/" + seq);
    assertThat(detail.get("audit").get("event_id").asText())
        .isEqualTo(newestAudit.get("eventId").asText());
    assertThat(detail.get("commands").get("render").asText()).contains("render --event-id e");

    HttpResponse<byte[]> overlay = bytes("/api/events/" + seq + "/image.png?class=3");
    assertThat(overlay.statusCode()).isEqualTo(200);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(overlay.body()));
    assertThat(img.getWidth()).isGreaterThan(0);
    assertThat(bytes("/api/events/" + seq + "/image.png?class=2").statusCode()).isEqualTo(404);
    assertThat(bytes("/api/events/999999").statusCode()).isEqualTo(404);
    assertThat(bytes("/api/events?limit=x").statusCode()).isEqualTo(400);
  }

  @Test
  void thePageIsServedFromTheJar() throws Exception {
    HttpResponse<byte[]> page = bytes("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(new String(page.body(), StandardCharsets.UTF_8))
        .contains("<title>vit-audit dashboard</title>")
        .doesNotContain("http://", "https://");
  }

  @Test
  void newEventsArriveByServerSentEvents() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(uri("/api/stream")).header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("event: summary");
      state.acceptAudit(
          DashboardRecords.audit("live-1", 2, "two", 5, new byte[9], false),
          System.currentTimeMillis());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String data = null;
      String event = null;
      while (System.nanoTime() < deadline) {
        String line = in.readLine();
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && "event".equals(event)) {
          data = line.substring(6);
          break;
        }
      }
      assertThat(data).isNotNull();
      assertThat(JSON.readTree(data).get("eventId").asText()).isEqualTo("live-1");
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<byte[]> r = bytes(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<byte[]> bytes(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] png(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
