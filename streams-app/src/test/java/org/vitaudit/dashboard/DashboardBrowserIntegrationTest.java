package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * The dashboard as its users see it: the auditing application with the demo model on a real broker,
 * generated scenes in (some with a wrong label) and corrupt events, the dashboard over the
 * application's topics. Its API is checked against counts the test reads from the topics itself,
 * then the page in Debian's headless chromium (skipped with a message where it is not installed),
 * with full-page screenshots in streams-app/target/dashboard/.
 */
@KafkaBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIntegrationTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = screenshots();
  private static final Duration OUTCOMES = Duration.ofSeconds(60);
  private static final int SCENES = 10;
  private static final int CORRUPT_EVERY = 5;
  private static final int WRONG_EVERY = 4;

  private TestBroker broker;
  private LivePipeline pipeline;
  private long audited;
  private long deadLettered;
  private long mispredicted;
  private long labelled;
  private long correct;

  @BeforeAll
  void start(TestBroker broker) throws Exception {
    this.broker = broker;
    pipeline = LivePipeline.start(broker.bootstrapServers());
    List<DemoEvents.Sent> sent = pipeline.send("page", SCENES, 11, CORRUPT_EVERY, WRONG_EVERY);
    deadLettered = sent.stream().filter(s -> s.scene().isEmpty()).count();
    audited = sent.size() - deadLettered;
    assertThat(deadLettered).isEqualTo(2);
    LivePipeline.await(
        () ->
            pipeline.summary().audited() == audited
                && pipeline.summary().deadLetters() == deadLettered,
        OUTCOMES,
        "the application audits the scenes and the dashboard reads them");
    countFromTheTopics();
    assertThat(mispredicted).as("the scenes sent with a wrong label").isGreaterThanOrEqualTo(2);
    LivePipeline.await(
        () -> pipeline.summary().mispredictionRecords() == mispredicted,
        OUTCOMES,
        "the dashboard reads the misprediction records");
  }

  /** What a team's own consumer of the audit topic would count. */
  private void countFromTheTopics() {
    AppConfig c = pipeline.config;
    Deserializer<AuditRecord> audits = AuditSerdes.configured(c).deserializer();
    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaTestClients.readAll(
            broker,
            List.of(c.getString(AppConfig.AUDIT_TOPIC_CONFIG)),
            (int) audited,
            OUTCOMES,
            Duration.ofMillis(500));
    assertThat(records).hasSize((int) audited);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      AuditRecord a = audits.deserialize(r.topic(), r.headers(), r.value());
      if (a.getCorrect() != null) {
        labelled++;
        correct += a.getCorrect() ? 1 : 0;
        mispredicted += a.getCorrect() ? 0 : 1;
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void theApiCountsWhatTheTopicsHoldAndDrawsEveryThumbnail() throws Exception {
    JsonNode summary = pipeline.api("/api/summary");
    assertThat(summary.get("audited").asLong()).isEqualTo(audited);
    assertThat(summary.get("deadLetters").asLong()).isEqualTo(deadLettered);
    assertThat(summary.get("labelled").asLong()).isEqualTo(labelled);
    assertThat(summary.get("correct").asLong()).isEqualTo(correct);
    assertThat(summary.get("mispredictionRecords").asLong()).isEqualTo(mispredicted);
    assertThat(summary.at("/model/name").asText()).isNotBlank();
    JsonNode wrong = pipeline.api("/api/events?wrong=true");
    assertThat(wrong).hasSize((int) mispredicted);
    for (JsonNode e : pipeline.api("/api/events")) {
      if (e.get("kind").asText().equals("audit")) {
        String png = "/api/events/" + e.get("seq").asLong() + "/image.png";
        assertThat(pipeline.status(png + "?class=" + e.get("predictedClass").asInt()))
            .as(png)
            .isEqualTo(200);
      }
    }
    JsonNode reasons = pipeline.api("/api/aggregates").get("deadLettersByReason");
    assertThat(reasons.properties().stream().mapToLong(e -> e.getValue().asLong()).sum())
        .isEqualTo(deadLettered);
  }

  @Test
  @Order(2)
  void thePageShowsCountersFeedDetailFiltersAndLiveEvents() throws Exception {
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
                "--window-size=1400,1600");
    WebDriver driver = new ChromeDriver(options);
    try {
      Files.createDirectories(SCREENSHOTS);
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      driver.get(pipeline.url("/"));
      long events = audited + deadLettered;
      wait.until(d -> text(d, "audited").equals(String.valueOf(audited)));
      assertThat(text(driver, "dead-letters")).isEqualTo(String.valueOf(deadLettered));
      assertThat(text(driver, "mispredictions")).isEqualTo(String.valueOf(mispredicted));
      wait.until(d -> feed(d).size() == events);
      assertThat(driver.findElements(By.cssSelector("#feed .event.wrong")))
          .hasSize((int) mispredicted)
          .allSatisfy(e -> assertThat(e.getText()).contains("✗ mispredicted"));
      assertThat(driver.findElements(By.cssSelector("#feed .event.dead")))
          .hasSize((int) deadLettered);
      wait.until(d -> imagesLoaded(d, "#feed .event img") == audited);
      wait.until(d -> !d.findElements(By.cssSelector("#drift .class")).isEmpty());
      fullPage(driver, "feed");

      driver.findElement(By.cssSelector("#feed .event.wrong")).click();
      wait.until(
          d ->
              d.findElement(By.id("detail")).isDisplayed()
                  && imagesLoaded(d, "#detail-images img.overlay") >= 2);
      String captions = driver.findElement(By.id("detail-images")).getText();
      assertThat(captions).contains("predicted:", "true class:");
      assertThat(driver.findElement(By.id("detail-commands")).getText())
          .contains("render --event-id page-", "replay ");
      fullPage(driver, "detail");
      driver.findElement(By.id("detail-close")).click();
      Files.write(
          SCREENSHOTS.resolve("drift.png"),
          driver.findElement(By.id("drift-section")).getScreenshotAs(OutputType.BYTES));

      driver.findElement(By.id("filter-wrong")).click();
      wait.until(d -> feed(d).size() == mispredicted);
      driver.findElement(By.id("filter-wrong")).click();
      wait.until(d -> feed(d).size() == events);

      List<DemoEvents.Sent> live = pipeline.send("live", 2, 99, 1000, 1000);
      for (DemoEvents.Sent e : live) {
        wait.until(
            d ->
                d.findElements(By.cssSelector("#feed .event[data-event-id='" + e.eventId() + "']"))
                        .size()
                    == 1);
      }
      long scenes = live.stream().filter(e -> e.scene().isPresent()).count();
      wait.until(d -> text(d, "audited").equals(String.valueOf(audited + scenes)));
    } finally {
      driver.quit();
    }
  }

  private static List<WebElement> feed(WebDriver d) {
    return d.findElements(By.cssSelector("#feed .event"));
  }

  private static String text(WebDriver d, String id) {
    return d.findElement(By.id(id)).getText();
  }

  private static long imagesLoaded(WebDriver d, String css) {
    return d.findElements(By.cssSelector(css)).stream()
        .filter(img -> naturalWidth(d, img) > 0)
        .count();
  }

  private static long naturalWidth(WebDriver d, WebElement img) {
    Object w = script(d, "return arguments[0].complete ? arguments[0].naturalWidth : 0", img);
    return w instanceof Number n ? n.longValue() : 0;
  }

  private static Object script(WebDriver d, String js, Object... args) {
    return ((JavascriptExecutor) d).executeScript(js, args);
  }

  /** The whole page, not only the window: the window is grown to the page's height for the shot. */
  private static void fullPage(WebDriver driver, String name) throws Exception {
    Dimension before = driver.manage().window().getSize();
    Object height = script(driver, "return document.documentElement.scrollHeight");
    int h = height instanceof Number n ? n.intValue() : before.getHeight();
    driver.manage().window().setSize(new Dimension(before.getWidth(), Math.max(h, 600)));
    try {
      Files.write(
          SCREENSHOTS.resolve(name + ".png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** streams-app/target/dashboard/, whether Maven runs in the repository root or the module. */
  private static Path screenshots() {
    Path module = Files.isDirectory(Path.of("streams-app")) ? Path.of("streams-app") : Path.of("");
    return module.resolve("target").resolve("dashboard");
  }
}
