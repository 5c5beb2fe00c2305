package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.testing.BadInputCorpus;
import org.vitaudit.testing.BadInputCorpus.Kind;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * Every kind of the bad-input corpus through the real application, raw and as Avro {@code
 * ImageEvent}s, on one input partition: each input gets exactly its expected outcome (an audit
 * record, or a dead letter with the expected reason, keeping its key and value), nothing else is
 * written, and good events sent after all of them are still audited.
 */
@KafkaBroker
class BadInputStreamIntegrationTest {
  /** Small enough that the over-the-limit kind stays under the broker's message size. */
  private static final int MAX_BYTES = 200_000;

  private static final AvroSingleObjectSerde<ImageEvent> EVENTS =
      AvroSingleObjectSerde.forClass(ImageEvent.class);
  private static final AvroSingleObjectSerde<AuditRecord> AUDITS =
      AvroSingleObjectSerde.forClass(AuditRecord.class);

  @TempDir Path tmp;
  private HttpServer http;

  @BeforeEach
  void notFoundServer() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  @Test
  void rawInputs(TestBroker broker) throws Exception {
    runCorpus(broker, "raw");
  }

  @Test
  void avroInputs(TestBroker broker) throws Exception {
    runCorpus(broker, "avro");
  }

  private record Sent(String name, byte[] key, byte[] value, String expected) {}

  private void runCorpus(TestBroker broker, String format) throws Exception {
    Path allowed = Files.createDirectories(tmp.resolve("allowed"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    byte[] good = StreamTestSupport.png(1);
    Files.write(allowed.resolve("good.png"), good);
    Files.write(outside.resolve("good.png"), good);
    Files.createSymbolicLink(allowed.resolve("link-to-outside.png"), outside.resolve("good.png"));
    AppConfig c =
        new AppConfig(
            StreamIntegrationTest.settings(
                broker,
                tmp.resolve("state"),
                AppConfig.INPUT_FORMAT_CONFIG,
                format,
                AppConfig.IMAGE_MAX_BYTES_CONFIG,
                String.valueOf(MAX_BYTES),
                AppConfig.URI_FILE_ALLOWED_DIRS_CONFIG,
                allowed.toString(),
                // The unreachable and 404 kinds are served from this host: listed, and allowed to
                // be
                // a loopback address, so that what they test is the failure, not the refusal.
                AppConfig.URI_HTTP_ALLOWED_HOSTS_CONFIG,
                "127.0.0.1",
                AppConfig.URI_HTTP_ALLOW_PRIVATE_CONFIG,
                "true"));
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    Map<String, String> places =
        Map.of(
            "{http}", "127.0.0.1:" + http.getAddress().getPort(),
            "{allowed}", allowed.toString(),
            "{outside}", outside.toString());
    Map<Long, Sent> sent = new HashMap<>();
    try (AuditApplication app = AuditApplication.start(c);
        KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker, Map.of())) {
      for (Kind k : BadInputCorpus.kinds()) {
        if (k.expected(format).isEmpty()) {
          continue;
        }
        byte[] value = value(k, format, places);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(in, k.key(), value);
        r.headers().add("event-id", k.name().getBytes(StandardCharsets.UTF_8));
        k.headers().forEach((name, bytes) -> r.headers().add(name, bytes));
        long offset = producer.send(r).get().offset();
        sent.put(offset, new Sent(k.name(), k.key(), value, k.expected(format).get()));
      }
      for (int i = 0; i < 3; i++) {
        byte[] key = ("good-after-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = value(format, StreamTestSupport.png(10 + i));
        long offset = producer.send(new ProducerRecord<>(in, key, value)).get().offset();
        sent.put(offset, new Sent("good-after-" + i, key, value, BadInputCorpus.AUDITED));
      }
      producer.flush();

      String audit = c.getString(AppConfig.AUDIT_TOPIC_CONFIG);
      List<ConsumerRecord<byte[], byte[]>> out =
          KafkaTestClients.readAll(
              broker,
              List.of(audit, c.getString(AppConfig.DLQ_TOPIC_CONFIG)),
              sent.size(),
              Duration.ofSeconds(120),
              Duration.ofSeconds(3));
      Map<String, String> got = new HashMap<>();
      Map<String, String> want = new HashMap<>();
      sent.values().forEach(s -> want.put(s.name, s.expected));
      for (ConsumerRecord<byte[], byte[]> r : out) {
        long offset;
        String outcome;
        if (r.topic().equals(audit)) {
          offset = AUDITS.decode(audit, r.value()).getInput().getOffset();
          outcome = BadInputCorpus.AUDITED;
        } else {
          offset = Long.parseLong(header(r, DlqHeaders.OFFSET));
          outcome = header(r, DlqHeaders.REASON);
        }
        Sent s = sent.get(offset);
        assertThat(s).as("an output for offset %d, which nothing was sent to", offset).isNotNull();
        assertThat(got.put(s.name, outcome)).as("%s has two outcomes", s.name).isNull();
        assertThat(r.key()).as("key of %s", s.name).isEqualTo(s.key);
        if (!outcome.equals(BadInputCorpus.AUDITED)) {
          assertThat(r.value()).as("dead letter of %s keeps the value", s.name).isEqualTo(s.value);
        }
      }
      assertThat(got).isEqualTo(want);
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  private static byte[] value(Kind k, String format, Map<String, String> places) {
    if (k.tombstone()) {
      return null;
    }
    if (k.uri().isPresent()) {
      String uri = k.uri().get();
      for (Map.Entry<String, String> p : places.entrySet()) {
        uri = uri.replace(p.getKey(), p.getValue());
      }
      return EVENTS.encode(event(k.name()).setImage(uri).build());
    }
    if (k.avroValue() && format.equals("avro")) {
      return k.bytes();
    }
    byte[] image =
        k.overMaxBytes() ? Arrays.copyOf(StreamTestSupport.png(2), MAX_BYTES + 1) : k.bytes();
    return value(format, image);
  }

  private static byte[] value(String format, byte[] image) {
    return format.equals("raw")
        ? image
        : EVENTS.encode(event(null).setImage(ByteBuffer.wrap(image)).build());
  }

  private static ImageEvent.Builder event(String id) {
    return ImageEvent.newBuilder().setEventId(id == null ? "" : id).setEventTime(Instant.now());
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
