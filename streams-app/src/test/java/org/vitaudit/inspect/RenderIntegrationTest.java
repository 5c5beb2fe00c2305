package org.vitaudit.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.stream.StreamIntegrationTest;
import org.vitaudit.stream.StreamTestSupport;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.SampleRecords;
import org.vitaudit.testing.SettingsArgs;
import org.vitaudit.testing.TestBroker;

/**
 * {@code render} on a real broker: the audit record found by event id or by position, the image
 * fetched through the record's input coordinates, PNGs and a page referencing them.
 */
@KafkaBroker
class RenderIntegrationTest {
  @TempDir Path tmp;

  /**
   * Two raw events (ev-a at offset 0, labelled and mispredicted; ev-b at 1, no label) and their
   * audit records.
   */
  private Map<String, String> twoAuditedEvents(TestBroker broker) throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp.resolve("state"));
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    String audit = s.get(AppConfig.AUDIT_TOPIC_CONFIG);
    broker.createTopics(1, in, audit);
    StreamIntegrationTest.send(broker, in, "ev-a", StreamTestSupport.png(1));
    StreamIntegrationTest.send(broker, in, "ev-b", StreamTestSupport.png(2));
    produceAudits(
        broker,
        audit,
        "avro",
        InspectTestSupport.audit("ev-a", in, 0, 0, "class1", false),
        InspectTestSupport.audit("ev-b", in, 0, 1, null, null));
    return s;
  }

  static void produceAudits(TestBroker broker, String topic, String format, AuditRecord... audits)
      throws Exception {
    var serializer = AuditSerdes.forFormat(format).serializer();
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (AuditRecord a : audits) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                topic,
                a.getEventId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, a));
        r.headers().add("event-id", a.getEventId().getBytes(StandardCharsets.UTF_8));
        p.send(r).get();
      }
    }
  }

  private static CliRun render(Map<String, String> s, String... args) {
    return CliRun.of(SettingsArgs.of(s, args));
  }

  @Test
  void writesTheInputAnOverlayPerMapAndAPageReferencingThemForAnEventId(TestBroker broker)
      throws Exception {
    Map<String, String> s = twoAuditedEvents(broker);
    Path out = tmp.resolve("out");
    CliRun run = render(s, "render", "--event-id", "ev-a", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path page = out.resolve("ev-a.html");
    List<String> pngs =
        List.of("ev-a_input.png", "ev-a_class3_class3.png", "ev-a_class1_class1.png");
    assertThat(run.out().lines())
        .containsExactly(
            page.toString(),
            out.resolve(pngs.get(0)).toString(),
            out.resolve(pngs.get(1)).toString(),
            out.resolve(pngs.get(2)).toString());
    String html = Files.readString(page);
    for (String png : pngs) {
      assertThat(html).contains("<img src=\"" + png + "\"");
      assertThat(out.resolve(png)).isRegularFile();
    }
    assertThat(html)
        .contains(
            "<h1>Event ev-a</h1>",
            "predicted class3 (0.750), label class1 ✗",
            "map of class3 (class 3), peak (1,2) of 4x4",
            "ab".repeat(32));
    BufferedImage input = ImageIO.read(out.resolve(pngs.get(0)).toFile());
    assertThat(input.getWidth()).isEqualTo(32); // the fixture model's input size
    assertThat(input.getRGB(5, 7))
        .isEqualTo(
            ImageIO.read(new ByteArrayInputStream(StreamTestSupport.png(1)))
                .getRGB(5, 7)); // the image is the stored event's own
    BufferedImage overlay = ImageIO.read(out.resolve(pngs.get(1)).toFile());
    assertThat(overlay.getWidth()).isEqualTo(256);
    assertThat(overlay.getHeight()).isEqualTo(256);
    assertThat(run.err()).contains("note: the record comes from model mnist-vit");
  }

  @Test
  void rendersTheAuditRecordAtAPartitionAndOffset(TestBroker broker) throws Exception {
    Map<String, String> s = twoAuditedEvents(broker);
    Path out = tmp.resolve("out");
    CliRun run = render(s, "render", "--audit", "0:1", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(out.resolve("ev-b.html")))
        .contains("<h1>Event ev-b</h1>", "no label", "<img src=\"ev-b_class1_class1.png\"");
    assertThat(out.resolve("ev-a.html")).doesNotExist();
  }

  @Test
  void readsAvroInputAndJsonAuditRecordsFromAnotherTopic(TestBroker broker) throws Exception {
    Map<String, String> s =
        StreamIntegrationTest.settings(
            broker, tmp.resolve("state"), AppConfig.INPUT_FORMAT_CONFIG, "avro");
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    String jsonAudits = TestBroker.uniqueName("json-audits");
    broker.createTopics(1, in, jsonAudits);
    var events = AvroSingleObjectSerde.forClass(ImageEvent.class).serializer();
    StreamIntegrationTest.send(
        broker,
        in,
        "key-only",
        events.serialize(
            in,
            ImageEvent.newBuilder()
                .setEventId("av-1")
                .setEventTime(Instant.parse("2026-11-25T10:00:00Z"))
                .setImage(ByteBuffer.wrap(StreamTestSupport.png(3)))
                .build()));
    produceAudits(
        broker, jsonAudits, "json", InspectTestSupport.audit("av-1", in, 0, 0, "class3", true));
    Path out = tmp.resolve("out");
    CliRun run =
        render(
            s,
            "render",
            "--audit-topic",
            jsonAudits,
            "--audit-format",
            "json",
            "--audit",
            "0:0",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(out.resolve("av-1.html"))).contains("label class3 ✓");
    assertThat(ImageIO.read(out.resolve("av-1_input.png").toFile()).getRGB(3, 4))
        .isEqualTo(ImageIO.read(new ByteArrayInputStream(StreamTestSupport.png(3))).getRGB(3, 4));
  }

  @Test
  void aMispredictionAlsoGetsTheOverlayOfItsTrueClass(TestBroker broker) throws Exception {
    Map<String, String> s = twoAuditedEvents(broker);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    String mispredictions = s.get(AppConfig.MISPREDICTIONS_TOPIC_CONFIG);
    broker.createTopics(1, mispredictions);
    Misprediction m =
        Misprediction.newBuilder(SampleRecords.misprediction())
            .setAudit(
                AuditRecord.newBuilder(SampleRecords.misprediction().getAudit())
                    .setInput(new InputCoordinates(in, 0, 1L))
                    .build())
            .build();
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      p.send(
              new ProducerRecord<>(
                  mispredictions,
                  AvroSingleObjectSerde.forClass(Misprediction.class)
                      .serializer()
                      .serialize(mispredictions, m)))
          .get();
    }
    Path out = tmp.resolve("out");
    CliRun run =
        render(
            s,
            "render",
            "--audit-topic",
            mispredictions,
            "--event-id",
            "evt-42",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String html = Files.readString(out.resolve("evt-42.html"));
    assertThat(html)
        .contains(
            "<img src=\"evt-42_class7_seven.png\"",
            "<img src=\"evt-42_class1_one.png\"",
            "<th>true class</th><td>one (class 1)</td>",
            "label one ✗");
    assertThat(out.resolve("evt-42_class1_one.png")).isRegularFile();
  }

  @Test
  void anUnknownEventIdAndAnInputDeletedByRetentionAreOneLineErrors(TestBroker broker)
      throws Exception {
    Map<String, String> s = twoAuditedEvents(broker);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    Path out = tmp.resolve("out");
    CliRun unknown = render(s, "render", "--event-id", "nope", "--out", out.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err())
        .contains(
            "error: event id nope is not in "
                + s.get(AppConfig.AUDIT_TOPIC_CONFIG)
                + " (no audit record has it; check the id, --audit-topic and --audit-format)");
    CliRun beyond = render(s, "render", "--audit", "0:7", "--out", out.toString());
    assertThat(beyond.exitCode()).isEqualTo(1);
    assertThat(beyond.err())
        .contains(
            "error: no record at "
                + s.get(AppConfig.AUDIT_TOPIC_CONFIG)
                + "-0@7: beyond the end of the partition (next offset 2)");

    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin
          .deleteRecords(Map.of(new TopicPartition(in, 0), RecordsToDelete.beforeOffset(1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    CliRun gone = render(s, "render", "--event-id", "ev-a", "--out", out.toString());
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err())
        .contains(
            "error: the input of event ev-a is gone: no record at "
                + in
                + "-0@0: deleted by"
                + " retention (or delete-records): the partition now starts at offset 1");
    assertThat(out.resolve("ev-a.html")).doesNotExist();
  }
}
