package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.testing.AppProcess;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * A model that fails at run time, through the real stream on a real broker (docs/reliability.md,
 * "Model failures"): on one event, that event is dead-lettered as {@code model_error} and the
 * stream goes on; on every event, or where it cannot be opened at all, the instance reports not
 * ready and consumes nothing, dead-letters nothing, commits nothing, and an instance whose model
 * works audits every event later, each once.
 */
@KafkaBroker
class ModelFailureIntegrationTest {
  @TempDir Path tmp;

  /**
   * The per-event failure is a real ONNX Runtime error: the faulty fixture (made from timm's
   * VisionTransformer by tools/fixtures/make_model_error_fixture.py) looks a colour shift up by the
   * image's mean brightness with an off-by-one, so its Gather refuses the index an all-white image
   * gives and runs every other image. No standard ViT fails per event: the application resizes
   * every image to the model's size, so every event reaches ONNX Runtime with the same shape.
   *
   * @param batch 1: the event fails alone and the processing handler dead-letters it; 5: the five
   *     events make one micro-batch, G fails on it, then each event runs alone and the flush
   *     dead-letters the one that fails
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void aModelErrorOnOneEventDeadLettersItAndTheStreamGoesOn(int batch, TestBroker broker)
      throws Exception {
    AppConfig c =
        new AppConfig(
            StreamIntegrationTest.settings(
                broker,
                tmp,
                AppConfig.MODEL_PATH_CONFIG,
                StreamTestSupport.FAULTY.onnx().toString(),
                AppConfig.BATCH_MAX_RECORDS_CONFIG,
                String.valueOf(batch),
                AppConfig.BATCH_MAX_WAIT_MS_CONFIG,
                "60000"));
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    byte[] white = StreamTestSupport.white();
    try (AuditApplication app = AuditApplication.start(c)) {
      StreamIntegrationTest.send(broker, in, "before-1", StreamTestSupport.png(1));
      StreamIntegrationTest.send(broker, in, "before-2", StreamTestSupport.png(2));
      StreamIntegrationTest.send(broker, in, "white", white);
      StreamIntegrationTest.send(broker, in, "after-1", StreamTestSupport.png(3));
      StreamIntegrationTest.send(broker, in, "after-2", StreamTestSupport.png(4));

      assertThat(StreamIntegrationTest.outcomes(broker, c, 5))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "before-1", "audit",
                  "before-2", "audit",
                  "white", "model_error",
                  "after-1", "audit",
                  "after-2", "audit"));
      ConsumerRecord<byte[], byte[]> dead = deadLetters(broker, c).get(0);
      assertThat(dead.value()).as("the input's bytes as they were").isEqualTo(white);
      assertThat(header(dead, DlqHeaders.MESSAGE)).contains("indices element out of data bounds");
      assertThat(header(dead, DlqHeaders.OFFSET)).isEqualTo("2");
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(StreamIntegrationTest.get(app.httpPort(), "/health/ready").statusCode())
          .isEqualTo(200);
      assertThat(StreamIntegrationTest.get(app.httpPort(), "/metrics").body())
          .contains(
              "vitaudit_records_dlq_total{reason=\"model_error\"} 1.0", "vitaudit_model_up 1.0");
    }
  }

  /**
   * Every run fails once the instance is up: the engine behind the running stream is closed, so
   * every run fails (the blank probe's too) as they do when the runtime itself breaks (on a GPU: a
   * lost device or an unrecoverable CUDA error; here: a stream thread still running when the engine
   * is closed, which a shutdown that overruns its timeout can cause). On CPU no real model input
   * makes ONNX Runtime fail on every run after it ran the probe at start.
   */
  @Test
  void aModelThatStopsRunningStopsTheInstanceAndAnotherAuditsItsEventsOnce(TestBroker broker)
      throws Exception {
    Map<String, String> s = takeOverQuickly(broker, tmp.resolve("first"));
    AppConfig c = new AppConfig(s);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    String group = c.getString(AppConfig.APPLICATION_ID_CONFIG);
    TopicPartition input = new TopicPartition(in, 0);
    AuditorFactory.Opened model = AuditorFactory.open(c);
    try (AuditApplication first = AuditApplication.start(c, model)) {
      StreamIntegrationTest.send(broker, in, "a1", StreamTestSupport.png(1));
      KafkaTestClients.awaitCommittedOffset(broker, group, input, 1);

      model.engine().close(); // every run fails from now on, the probe's too
      long failing = System.nanoTime();
      StreamIntegrationTest.send(broker, in, "b1", StreamTestSupport.png(2));
      StreamIntegrationTest.send(broker, in, "b2", StreamTestSupport.png(3));
      await(Duration.ofSeconds(30), () -> first.state() == KafkaStreams.State.ERROR);
      long stoppedMillis = millisSince(failing);

      assertThat(first.modelFailure()).get().asString().contains("event b1", "is closed");
      var ready = StreamIntegrationTest.get(first.httpPort(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("not ready: the model no longer runs").contains("b1");
      assertThat(StreamIntegrationTest.get(first.httpPort(), "/health/live").statusCode())
          .isEqualTo(200);
      assertThat(StreamIntegrationTest.get(first.httpPort(), "/metrics").body())
          .contains("vitaudit_model_up 0.0");
      assertThat(deadLetters(broker, c)).as("nothing dead-lettered").isEmpty();
      assertThat(KafkaTestClients.committedOffset(broker, group, input))
          .as("b1 is not committed")
          .isEqualTo(1);

      // An instance whose model works takes the partition over: b1 and b2 once each, a1 not again.
      AppConfig second = new AppConfig(takeOverQuickly(broker, tmp.resolve("second"), s));
      long takeOver = System.nanoTime();
      try (AuditApplication healthy = AuditApplication.start(second)) {
        assertThat(StreamIntegrationTest.outcomes(broker, c, 3))
            .containsExactlyInAnyOrderEntriesOf(
                Map.of("a1", "audit", "b1", "audit", "b2", "audit"));
      }
      System.out.printf(
          "model failure at run time: the instance stopped %d ms after the failing event was sent;"
              + " a second instance had audited all 3 events %d ms after it started%n",
          stoppedMillis, millisSince(takeOver));
    }
  }

  /**
   * The model file replaced by garbage and the instance restarted ({@code run} in a child JVM, as a
   * deployment runs it): the restarted instance stays up, not ready, says why, and consumes
   * nothing; with the file put back, the next start audits what waited, once.
   */
  @Test
  void aModelFileReplacedByGarbageKeepsTheRestartedInstanceNotReadyAndIdle(TestBroker broker)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Path onnx = dir.resolve("model.onnx");
    Files.copy(StreamTestSupport.MODEL.onnx(), onnx);
    Files.copy(
        StreamTestSupport.MODEL.onnx().resolveSibling("timm_vit.json"), dir.resolve("model.json"));
    Map<String, String> s = takeOverQuickly(broker, tmp.resolve("state"));
    s.put(AppConfig.MODEL_PATH_CONFIG, onnx.toString());
    AppConfig c = new AppConfig(s);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    String group = c.getString(AppConfig.APPLICATION_ID_CONFIG);
    TopicPartition input = new TopicPartition(in, 0);

    try (AppProcess first = AppProcess.start(s, tmp, "first")) {
      StreamIntegrationTest.send(broker, in, "e1", StreamTestSupport.png(1));
      KafkaTestClients.awaitCommittedOffset(broker, group, input, 1);
      first.stop();
    }
    byte[] garbage = new byte[4096];
    new Random(15).nextBytes(garbage);
    Files.write(onnx, garbage);
    StreamIntegrationTest.send(broker, in, "e2", StreamTestSupport.png(2));
    StreamIntegrationTest.send(broker, in, "e3", StreamTestSupport.png(3));

    long restart = System.nanoTime();
    long notReadyMillis;
    try (AppProcess restarted = AppProcess.start(s, tmp, "restarted")) {
      int port = restarted.httpPort(Duration.ofSeconds(60));
      var ready = StreamIntegrationTest.get(port, "/health/ready");
      notReadyMillis = millisSince(restart);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("not ready: the model cannot be opened");
      assertThat(StreamIntegrationTest.get(port, "/health/live").statusCode()).isEqualTo(200);
      assertThat(StreamIntegrationTest.get(port, "/metrics").body())
          .contains("vitaudit_model_up 0.0");
      Thread.sleep(3000); // long enough for a consuming instance to have read e2 and e3
      assertThat(restarted.isAlive()).as("no crash: it stays up, not ready").isTrue();
      assertThat(KafkaTestClients.committedOffset(broker, group, input)).isEqualTo(1);
      assertThat(deadLetters(broker, c)).isEmpty();
      assertThat(restarted.log()).contains("ERROR", "the model cannot be opened");
      restarted.stop();
    }

    Files.copy(StreamTestSupport.MODEL.onnx(), onnx, StandardCopyOption.REPLACE_EXISTING);
    long fix = System.nanoTime();
    try (AppProcess fixed = AppProcess.start(s, tmp, "fixed")) {
      assertThat(StreamIntegrationTest.outcomes(broker, c, 3))
          .containsExactlyInAnyOrderEntriesOf(Map.of("e1", "audit", "e2", "audit", "e3", "audit"));
      fixed.stop();
    }
    System.out.printf(
        "model file replaced by garbage: the restarted process answered 503 %d ms after it was"
            + " started; with the file back, the next start had audited what waited %d ms after it"
            + " was started%n",
        notReadyMillis, millisSince(fix));
  }

  /**
   * An instance's settings where a member that stopped without leaving the group (a shut-down
   * Streams client does not leave it) is replaced within seconds, not the default 45.
   */
  private static Map<String, String> takeOverQuickly(
      TestBroker broker, Path state, Map<String, String> sameAppAs) {
    Map<String, String> s = takeOverQuickly(broker, state);
    for (String key :
        List.of(
            AppConfig.APPLICATION_ID_CONFIG,
            AppConfig.INPUT_TOPIC_CONFIG,
            AppConfig.AUDIT_TOPIC_CONFIG,
            AppConfig.DLQ_TOPIC_CONFIG,
            AppConfig.MISPREDICTIONS_TOPIC_CONFIG)) {
      s.put(key, sameAppAs.get(key));
    }
    return s;
  }

  private static Map<String, String> takeOverQuickly(TestBroker broker, Path state) {
    Map<String, String> s = StreamIntegrationTest.settings(broker, state);
    s.put(AppConfig.TRANSACTION_TIMEOUT_MS_CONFIG, "10000");
    s.put("kafka.session.timeout.ms", "6000");
    s.put("kafka.heartbeat.interval.ms", "1000");
    return s;
  }

  /** Every dead letter committed so far, read for two seconds. */
  private static List<ConsumerRecord<byte[], byte[]>> deadLetters(TestBroker broker, AppConfig c) {
    return KafkaTestClients.readAll(
        broker,
        List.of(c.getString(AppConfig.DLQ_TOPIC_CONFIG)),
        Integer.MAX_VALUE,
        Duration.ofSeconds(2),
        Duration.ZERO);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
