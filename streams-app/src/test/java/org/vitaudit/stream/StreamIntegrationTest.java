package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.image.ImageDecoderTest;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.RunSettings;
import org.vitaudit.testing.TestBroker;

/**
 * The application on a real broker: every input yields exactly one record in the audit or the
 * dead-letter topic, bad input of every kind included, and the records after a bad one still flow.
 */
@KafkaBroker
public class StreamIntegrationTest {
  @TempDir Path tmp;

  /** Settings for one app instance on its own topics. */
  public static Map<String, String> settings(TestBroker broker, Path stateDir, String... extra) {
    Map<String, String> m = RunSettings.of(broker.bootstrapServers(), stateDir);
    m.put(AppConfig.MODEL_PATH_CONFIG, StreamTestSupport.MODEL.onnx().toString());
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return m;
  }

  public static void send(TestBroker broker, String topic, String eventId, byte[] value) {
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(topic, eventId.getBytes(StandardCharsets.UTF_8), value);
      r.headers().add("event-id", eventId.getBytes(StandardCharsets.UTF_8));
      p.send(r);
    }
  }

  /** Event id to where it ended ("audit" or the DLQ reason), failing on any event seen twice. */
  public static Map<String, String> outcomes(TestBroker broker, AppConfig c, int expected) {
    String audit = c.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    List<ConsumerRecord<byte[], byte[]>> all =
        KafkaTestClients.readAll(
            broker,
            List.of(audit, c.getString(AppConfig.DLQ_TOPIC_CONFIG)),
            expected,
            Duration.ofSeconds(90),
            Duration.ofSeconds(2));
    Map<String, String> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : all) {
      String id = new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8);
      String where =
          r.topic().equals(audit)
              ? "audit"
              : new String(
                  r.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8);
      assertThat(out.put(id, where)).as("event %s appears twice", id).isNull();
    }
    return out;
  }

  @Test
  void everyRawInputEndsOnceInTheAuditOrTheDeadLetterTopic(TestBroker broker) throws Exception {
    AppConfig c = new AppConfig(settings(broker, tmp));
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    try (AuditApplication app = AuditApplication.start(c)) {
      byte[] jpeg = jpeg();
      send(broker, in, "good-1", StreamTestSupport.png(1));
      send(broker, in, "empty", new byte[0]);
      send(broker, in, "truncated-jpeg", Arrays.copyOf(jpeg, jpeg.length / 2));
      byte[] noise = new byte[2000];
      new Random(3).nextBytes(noise);
      send(broker, in, "random-bytes", noise);
      send(broker, in, "huge-png-header", ImageDecoderTest.pngHeader(10_000, 10_000));
      send(broker, in, "good-2", StreamTestSupport.png(2));
      Map<String, String> out = outcomes(broker, c, 6);
      assertThat(out)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "good-1",
                  "audit",
                  "empty",
                  "empty_image",
                  "truncated-jpeg",
                  "corrupt_image",
                  "random-bytes",
                  "unsupported_format",
                  "huge-png-header",
                  "too_many_pixels",
                  "good-2",
                  "audit"));
      // The endpoints a deployment probes and scrapes.
      assertThat(get(app.httpPort(), "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
      String metrics = get(app.httpPort(), "/metrics").body();
      assertThat(metrics)
          .contains(
              "vitaudit_records_in_total 6.0",
              "vitaudit_records_out_total 2.0",
              "vitaudit_records_dlq_total{reason=\"too_many_pixels\"} 1.0",
              "vitaudit_stage_seconds_bucket{stage=\"h\"",
              "kafka_stream");
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unreadableAvroIsDeadLetteredByTheDeserializationHandler(TestBroker broker) throws Exception {
    AppConfig c = new AppConfig(settings(broker, tmp, AppConfig.INPUT_FORMAT_CONFIG, "avro"));
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    var events = AvroSingleObjectSerde.forClass(ImageEvent.class).serializer();
    try (AuditApplication app = AuditApplication.start(c)) {
      send(
          broker,
          in,
          "wrong-avro",
          "{\"event_id\": \"json is not avro\"}".getBytes(StandardCharsets.UTF_8));
      send(
          broker,
          in,
          "ok",
          events.serialize(
              in,
              ImageEvent.newBuilder()
                  .setEventId("ok")
                  .setEventTime(Instant.now())
                  .setImage(ByteBuffer.wrap(StreamTestSupport.png(5)))
                  .build()));
      assertThat(outcomes(broker, c, 2))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("wrong-avro", "unreadable_avro", "ok", "audit"));
    }
  }

  @Test
  void labelsJoinTheirAuditsInEitherOrderOnceAndNotAfterTheRetention(TestBroker broker)
      throws Exception {
    Map<String, String> settings =
        settings(broker, tmp, AppConfig.LABEL_JOIN_RETENTION_MS_CONFIG, "4000");
    settings.put(AppConfig.LABELS_TOPIC_CONFIG, TestBroker.uniqueName("labels"));
    AppConfig c = new AppConfig(settings);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    String labels = c.getString(AppConfig.LABELS_TOPIC_CONFIG);
    try (var engine = StreamTestSupport.engine();
        AuditApplication app = AuditApplication.start(c)) {
      IntFunction<String> wrong =
          seed -> {
            try {
              byte[] png = StreamTestSupport.png(seed);
              int top =
                  engine
                      .explain(
                          StreamTestSupport.auditor(engine, 1).prepare(png).tensor(),
                          ExplainRequest.DEFAULT)
                      .top()
                      .classIndex();
              return "class" + ((top + 1) % 5);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      label(broker, labels, "before", wrong.apply(21));
      send(broker, in, "before", StreamTestSupport.png(21));
      send(broker, in, "after", StreamTestSupport.png(22));
      send(broker, in, "twice", StreamTestSupport.png(23));
      send(broker, in, "never", StreamTestSupport.png(24));
      outcomes(broker, c, 4); // all four audited
      label(broker, labels, "after", wrong.apply(22));
      label(broker, labels, "twice", wrong.apply(23));
      label(broker, labels, "twice", wrong.apply(23));
      // Past the retention: the expiry punctuator deletes "never" from the pending audits, which
      // shows
      // as a tombstone in that store's changelog (polled with a bound, not slept for).
      String pendingAudits =
          c.getString(AppConfig.APPLICATION_ID_CONFIG)
              + "-"
              + LabelJoin.PENDING_AUDITS
              + "-changelog";
      awaitTombstone(broker, pendingAudits, "never", Duration.ofSeconds(60));
      label(broker, labels, "never", wrong.apply(24));
      List<ConsumerRecord<byte[], byte[]>> out =
          KafkaTestClients.readAll(
              broker,
              List.of(c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG)),
              3,
              Duration.ofSeconds(60),
              Duration.ofSeconds(4));
      var d = AvroSingleObjectSerde.forClass(Misprediction.class).deserializer();
      assertThat(out)
          .extracting(r -> d.deserialize("t", r.value()).getAudit().getEventId())
          .containsExactlyInAnyOrder("before", "after", "twice");
      assertThat(out)
          .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("before", "after", "twice");
    }
  }

  /**
   * Polls a changelog (read_committed) until it holds a tombstone for {@code key}; fails after
   * {@code timeout}.
   */
  static void awaitTombstone(TestBroker broker, String changelog, String key, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaTestClients.readCommittedConsumer(broker)) {
      consumer.subscribe(List.of(changelog));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            return;
          }
        }
      }
    }
    throw new AssertionError("no tombstone for " + key + " in " + changelog + " within " + timeout);
  }

  private static void label(TestBroker broker, String topic, String eventId, String label) {
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      p.send(
          new ProducerRecord<>(
              topic,
              eventId.getBytes(StandardCharsets.UTF_8),
              label.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static byte[] jpeg() throws Exception {
    var img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(9);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }
}
