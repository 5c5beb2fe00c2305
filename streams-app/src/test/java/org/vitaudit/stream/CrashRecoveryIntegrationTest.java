package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.testing.AppProcess;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * Kills the application (SIGKILL: no close, no commit) while records are in flight, starts it
 * again, and checks with a read_committed consumer that each input appears exactly once across the
 * audit and dead-letter topics.
 */
@KafkaBroker
class CrashRecoveryIntegrationTest {
  @TempDir Path tmp;

  private static int visibleUncommitted(TestBroker broker, String topic) {
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToEnd(List.of(tp));
      return (int) c.position(tp);
    }
  }

  /**
   * The event ids of the outcomes committed so far: read_committed up to the last stable offset,
   * which stops before any transaction still open (or left open by a killed producer).
   */
  private static Set<String> committedOutcomes(TestBroker broker, String... topics) {
    try (KafkaConsumer<byte[], byte[]> c = KafkaTestClients.readCommittedConsumer(broker)) {
      List<TopicPartition> tps = Arrays.stream(topics).map(t -> new TopicPartition(t, 0)).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> stable = c.endOffsets(tps);
      Set<String> ids = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (tps.stream().anyMatch(tp -> c.position(tp) < stable.get(tp))) {
        assertThat(System.nanoTime())
            .as("read up to the last stable offsets %s", stable)
            .isLessThan(deadline);
        c.poll(Duration.ofMillis(200))
            .forEach(
                r ->
                    ids.add(
                        new String(
                            r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8)));
      }
      return ids;
    }
  }

  /** A dead member leaves the group after its session times out: keep that short here. */
  private static Map<String, String> crashSettings(TestBroker broker, Path state, String... extra) {
    Map<String, String> s = StreamIntegrationTest.settings(broker, state, extra);
    s.put(AppConfig.TRANSACTION_TIMEOUT_MS_CONFIG, "10000");
    s.put("kafka.session.timeout.ms", "6000");
    s.put("kafka.heartbeat.interval.ms", "1000");
    return s;
  }

  @Test
  void aKillWhileRecordsFlowLosesAndRepeatsNothing(TestBroker broker) throws Exception {
    killWhileRecordsFlow(broker);
  }

  /**
   * The same with micro-batches audited on a worker thread while the stream thread reads and
   * commits (batch.overlap): at the kill, batches are running and queued, their events committed as
   * still buffered.
   */
  @Test
  void aKillWhileOverlappedMicroBatchesRunLosesAndRepeatsNothing(TestBroker broker)
      throws Exception {
    killWhileRecordsFlow(
        broker, AppConfig.BATCH_MAX_RECORDS_CONFIG, "8", AppConfig.BATCH_OVERLAP_CONFIG, "true");
  }

  private void killWhileRecordsFlow(TestBroker broker, String... extra) throws Exception {
    Map<String, String> s = crashSettings(broker, tmp.resolve("state"), extra);
    AppConfig c = new AppConfig(s);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    String audit = c.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    broker.createTopics(1, in, audit, c.getString(AppConfig.DLQ_TOPIC_CONFIG));
    AppProcess first = AppProcess.start(s, tmp, "first");
    StreamIntegrationTest.send(broker, in, "warm-up", StreamTestSupport.png(1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (visibleUncommitted(broker, audit) == 0) {
      assertThat(System.nanoTime())
          .as("the first instance audits the warm-up event")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    int total = 300;
    byte[] good = StreamTestSupport.png(2);
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < total; i++) {
        String id = "e" + i;
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                in, id.getBytes(StandardCharsets.UTF_8), i % 25 == 7 ? new byte[] {1, 2, 3} : good);
        r.headers().add("event-id", id.getBytes(StandardCharsets.UTF_8));
        producer.send(r);
        producer.flush();
        Thread.sleep(5);
        if (i == total / 2) {
          first.kill(); // mid-stream: the app is reading, explaining and committing as records
          // arrive
          // Mid-stream indeed: of the inputs sent so far, some have no committed outcome, so the
          // test can only pass if the second instance takes over where the first one stopped.
          Set<String> committed =
              committedOutcomes(broker, audit, c.getString(AppConfig.DLQ_TOPIC_CONFIG));
          List<String> sent = StreamIntegrationTest.ids("e", i + 1);
          assertThat(sent)
              .as(
                  "inputs without a committed outcome at the kill (%d of %d committed)",
                  committed.size(), sent.size() + 1)
              .anySatisfy(e -> assertThat(committed).doesNotContain(e));
        }
      }
    }
    AppProcess second = AppProcess.start(s, tmp, "second");
    try {
      Map<String, String> out = StreamIntegrationTest.outcomes(broker, c, total + 1);
      assertThat(out).hasSize(total + 1);
      assertThat(out.values().stream().filter(v -> !v.equals("audit")).distinct())
          .containsOnly("unsupported_format");
    } finally {
      second.stop();
    }
  }

  @Test
  void aKillWithAFullMicroBatchBufferLosesAndRepeatsNothing(TestBroker broker) throws Exception {
    // Batches of 100 with a wait no test outlives: 30 events sit in the buffer when the plug is
    // pulled.
    Map<String, String> s =
        crashSettings(
            broker,
            tmp.resolve("state"),
            AppConfig.BATCH_MAX_RECORDS_CONFIG,
            "100",
            AppConfig.BATCH_MAX_WAIT_MS_CONFIG,
            "60000");
    AppConfig c = new AppConfig(s);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    broker.createTopics(
        1, in, c.getString(AppConfig.AUDIT_TOPIC_CONFIG), c.getString(AppConfig.DLQ_TOPIC_CONFIG));
    AppProcess first = AppProcess.start(s, tmp, "first");
    for (String id : StreamIntegrationTest.ids("b", 30)) {
      StreamIntegrationTest.send(broker, in, id, StreamTestSupport.png(id.hashCode()));
    }
    KafkaTestClients.awaitCommittedOffset(
        broker, c.getString(AppConfig.APPLICATION_ID_CONFIG), new TopicPartition(in, 0), 30);
    assertThat(visibleUncommitted(broker, c.getString(AppConfig.AUDIT_TOPIC_CONFIG)))
        .as("nothing flushed yet")
        .isZero();
    first.kill();
    AppProcess second = AppProcess.start(s, tmp, "second");
    try {
      Map<String, String> out = StreamIntegrationTest.outcomes(broker, c, 30);
      assertThat(out)
          .hasSize(30)
          .containsOnlyKeys(StreamIntegrationTest.ids("b", 30))
          .allSatisfy((k, v) -> assertThat(v).isEqualTo("audit"));
    } finally {
      second.stop();
    }
  }
}
