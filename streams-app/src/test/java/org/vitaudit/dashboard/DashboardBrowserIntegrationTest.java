package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * The dashboard on a real broker: records produced to the audit, mispredictions, dead-letter and
 * input topics, read back by the dashboard, checked over HTTP, then in Debian's headless chromium
 * (skipped with a message where it is not installed) with screenshots in target/dashboard/.
 */
@KafkaBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIntegrationTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("streams-app/target/dashboard");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AvroSingleObjectSerde<AuditRecord> audits =
      AvroSingleObjectSerde.forClass(AuditRecord.class);
  private TestBroker broker;
  private String images;
  private String audit;
  private String mispredictions;
  private String dlq;
  private Dashboard dashboard;

  @BeforeAll
  void start(TestBroker broker) throws Exception {
    this.broker = broker;
    images = TestBroker.uniqueName("images");
    audit = TestBroker.uniqueName("audit");
    mispredictions = TestBroker.uniqueName("mispredictions");
    dlq = TestBroker.uniqueName("dlq");
    broker.createTopics(1, images, audit, mispredictions, dlq);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < 3; i++) {
        p.send(new ProducerRecord<>(images, DashboardApiTest.png(28, 28))).get();
      }
      AuditRecord right =
          inputAt(DashboardRecords.audit("right", 1, "one", 12, corner(0), true), 0);
      AuditRecord wrong =
          inputAt(DashboardRecords.audit("wrong", 2, "three", 15, corner(8), false), 1);
      AuditRecord unlabelled =
          inputAt(DashboardRecords.audit("unlabelled", 1, null, 9, corner(4), false), 2);
      for (AuditRecord a : List.of(right, wrong, unlabelled)) {
        p.send(new ProducerRecord<>(audit, audits.encode(a))).get();
      }
      Misprediction m = DashboardRecords.misprediction(wrong, 3);
      p.send(
              new ProducerRecord<>(
                  mispredictions, AvroSingleObjectSerde.forClass(Misprediction.class).encode(m)))
          .get();
      for (String reason : List.of("corrupt_image", "empty_image")) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(dlq, "bad".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        r.headers()
            .add(new RecordHeader(DlqHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8)));
        r.headers()
            .add(new RecordHeader(DlqHeaders.TOPIC, images.getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
      }
    }
    AppConfig config =
        new AppConfig(
            Map.of(
                AppConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                AppConfig.INPUT_TOPIC_CONFIG,
                images,
                AppConfig.AUDIT_TOPIC_CONFIG,
                audit,
                AppConfig.MISPREDICTIONS_TOPIC_CONFIG,
                mispredictions,
                AppConfig.DLQ_TOPIC_CONFIG,
                dlq));
    dashboard =
        Dashboard.start(
            config, DashboardSettings.DEFAULTS, new StartAt.Beginning(), "127.0.0.1", 0);
    await(
        () ->
            dashboard.state().summary().audited() == 3
                && dashboard.state().summary().deadLetters() == 2
                && dashboard.state().summary().mispredictionRecords() == 1,
        "the dashboard read every record");
  }

  @AfterAll
  void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private static byte[] corner(int cell) {
    byte[] map = new byte[9];
    map[cell] = (byte) 255;
    return map;
  }

  /** The record pointing at the image at {@code offset} of this test's input topic. */
  private AuditRecord inputAt(AuditRecord a, long offset) {
    return AuditRecord.newBuilder(a)
        .setInput(
            InputCoordinates.newBuilder()
                .setTopic(images)
                .setPartition(0)
                .setOffset(offset)
                .build())
        .build();
  }

  @Test
  void theApiCountsWhatWasProducedAndFetchesImagesFromTheInputTopic() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode summary = JSON.readTree(get(http, "/api/summary").body());
    assertThat(summary.get("audited").asInt()).isEqualTo(3);
    assertThat(summary.get("deadLetters").asInt()).isEqualTo(2);
    assertThat(summary.get("labelled").asInt()).isEqualTo(2);
    assertThat(summary.get("correct").asInt()).isEqualTo(1);
    JsonNode wrong = JSON.readTree(get(http, "/api/events?wrong=true").body());
    assertThat(wrong)
        .singleElement()
        .satisfies(e -> assertThat(e.get("trueLabel").asText()).isEqualTo("three"));
    long seq = wrong.get(0).get("seq").asLong();
    HttpResponse<byte[]> overlay = get(http, "/api/events/" + seq + "/image.png?class=3");
    assertThat(overlay.statusCode()).isEqualTo(200);
    assertThat(overlay.headers().firstValue("Content-Type")).hasValue("image/png");
  }

  @Test
  void thePageShowsTheFeedDetailFiltersAndLiveEvents() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no chromium and chromium-driver here (apt-get install -y chromium"
            + " chromium-driver)");
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1400,2200");
    WebDriver driver = new ChromeDriver(options);
    try {
      Files.createDirectories(SCREENSHOTS);
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      driver.get("http://127.0.0.1:" + dashboard.port() + "/");
      wait.until(d -> "3".equals(d.findElement(By.id("audited")).getText()));
      assertThat(driver.findElement(By.id("dead-letters")).getText()).isEqualTo("2");
      assertThat(driver.findElement(By.id("mispredictions")).getText()).isEqualTo("1");
      wait.until(d -> d.findElements(By.cssSelector("#feed .event")).size() == 5);
      assertThat(driver.findElements(By.cssSelector("#feed .event.wrong"))).hasSize(1);
      wait.until(d -> imagesLoaded(d, "#feed .event img") == 3);
      wait.until(d -> !d.findElements(By.cssSelector("#drift .class")).isEmpty());
      shot(driver, "feed");

      driver.findElement(By.cssSelector("#feed .event.wrong")).click();
      wait.until(
          d ->
              d.findElement(By.id("detail")).isDisplayed()
                  && imagesLoaded(d, "#detail-images img.overlay") == 2);
      assertThat(driver.findElement(By.id("detail-commands")).getText())
          .contains("render --event-id wrong");
      shot(driver, "detail");
      ((JavascriptExecutor) driver)
          .executeScript("document.getElementById('drift-section').scrollIntoView()");
      shot(driver, "drift");

      driver.findElement(By.id("filter-wrong")).click();
      wait.until(d -> d.findElements(By.cssSelector("#feed .event")).size() == 1);
      driver.findElement(By.id("filter-wrong")).click();
      wait.until(d -> d.findElements(By.cssSelector("#feed .event")).size() == 5);

      try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
        AuditRecord live =
            inputAt(DashboardRecords.audit("live", 0, "zero", 7, corner(2), false), 0);
        p.send(new ProducerRecord<>(audit, audits.encode(live))).get();
      }
      wait.until(
          d -> d.findElements(By.cssSelector("#feed .event[data-event-id='live']")).size() == 1);
      assertThat(driver.findElement(By.id("audited")).getText()).isIn("3", "4");
      wait.until(d -> "4".equals(d.findElement(By.id("audited")).getText()));
    } finally {
      driver.quit();
    }
  }

  private static long imagesLoaded(WebDriver d, String css) {
    return d.findElements(By.cssSelector(css)).stream()
        .filter(img -> naturalWidth(d, img) > 0)
        .count();
  }

  private static long naturalWidth(WebDriver d, WebElement img) {
    Object w =
        ((JavascriptExecutor) d)
            .executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", img);
    return w instanceof Number n ? n.longValue() : 0;
  }

  private static void shot(WebDriver driver, String name) throws Exception {
    Files.write(
        SCREENSHOTS.resolve(name + ".png"),
        ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  private HttpResponse<byte[]> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
