package org.vitaudit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.SaliencyVariant;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.stream.StreamIntegrationTest;
import org.vitaudit.stream.StreamTestSupport;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.SampleRecords;
import org.vitaudit.testing.SettingsArgs;
import org.vitaudit.testing.TestBroker;

/**
 * {@code replay} on a real broker: each way of selecting events, and exactly one record per event.
 */
@KafkaBroker
class ReplayIntegrationTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path tmp;

  private static long minutes(int m) {
    return T0.plus(Duration.ofMinutes(m)).toEpochMilli();
  }

  private static CliRun replay(Map<String, String> settings, String... args) {
    CliRun run = CliRun.of(SettingsArgs.of(settings, args));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  @Test
  void aTimeRangeYieldsExactlyTheEventsWithTimestampsInIt(TestBroker broker) throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    broker.createTopics(2, in);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < 10; i++) {
        ReplayTestSupport.send(
            p, in, i % 2, minutes(i), "e" + i, true, null, StreamTestSupport.png(i));
        if (i == 6) {
          // Stored between e6 and e8 of partition 0, but stamped an hour early: inside the offsets
          // read, outside the range.
          ReplayTestSupport.send(
              p, in, 0, minutes(-60), "late", true, null, StreamTestSupport.png(99));
        }
      }
    }
    String out = TestBroker.uniqueName("replayed");
    CliRun run =
        replay(
            s,
            "replay",
            "--from",
            T0.plus(Duration.ofMinutes(3)).toString(),
            "--to",
            T0.plus(Duration.ofMinutes(7)).toString(),
            "--output-topic",
            out);
    assertThat(ReplayTestSupport.outcomes(broker, out, 4))
        .containsOnlyKeys("e3", "e4", "e5", "e6")
        .allSatisfy((id, where) -> assertThat(where).isEqualTo("audit"));
    assertThat(run.out())
        .contains("4 events: 4 audited -> " + out + ", 0 dead-lettered -> " + out + ".dlq");
    // Progress counts the offsets read: the five of the window, the out-of-range one included.
    assertThat(run.err()).contains("replaying [", "5/5");
  }

  @Test
  void eventIdsAreFoundByTheEventIdRule(TestBroker broker) throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    broker.createTopics(1, in);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      ReplayTestSupport.send(p, in, 0, minutes(0), "e0", true, null, StreamTestSupport.png(0));
      ReplayTestSupport.send(
          p, in, 0, minutes(1), "k1", false, null, StreamTestSupport.png(1)); // key only
      ReplayTestSupport.send(
          p, in, 0, minutes(2), null, false, null, StreamTestSupport.png(2)); // neither
      ReplayTestSupport.send(p, in, 0, minutes(3), "e3", true, null, StreamTestSupport.png(3));
    }
    String out = TestBroker.uniqueName("replayed");
    CliRun run =
        replay(
            s,
            "replay",
            "--event-id",
            "k1",
            "--event-id",
            in + "-0-2,e0",
            "--event-id",
            "nope",
            "--output-topic",
            out);
    assertThat(ReplayTestSupport.outcomes(broker, out, 3))
        .containsOnlyKeys("e0", "k1", in + "-0-2");
    assertThat(run.out()).contains("3 events: 3 audited", "not found: nope");
  }

  @Test
  void offsetRangesSelectPerPartitionAndTheMethodCanBeOverridden(TestBroker broker)
      throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    broker.createTopics(2, in);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < 4; i++) {
        ReplayTestSupport.send(p, in, 0, minutes(i), "a" + i, true, null, StreamTestSupport.png(i));
        ReplayTestSupport.send(
            p, in, 1, minutes(i), "b" + i, true, null, StreamTestSupport.png(10 + i));
      }
    }
    String out = TestBroker.uniqueName("replayed");
    replay(
        s,
        "replay",
        "--from-offsets",
        "0:1,1:2",
        "--to-offsets",
        "0:3",
        "--variant",
        "dirac",
        "--top-k",
        "2",
        "--block",
        "2",
        "--residual",
        "block-input",
        "--output-topic",
        out);
    List<AuditRecord> audits = ReplayTestSupport.audits(broker, out, 4);
    Map<String, InputCoordinates> where = new HashMap<>();
    audits.forEach(a -> where.put(a.getEventId(), a.getInput()));
    assertThat(where)
        .containsOnly(
            Map.entry("a1", new InputCoordinates(in, 0, 1L)),
            Map.entry("a2", new InputCoordinates(in, 0, 2L)),
            Map.entry("b2", new InputCoordinates(in, 1, 2L)),
            Map.entry("b3", new InputCoordinates(in, 1, 3L)));
    assertThat(audits)
        .allSatisfy(
            a -> {
              assertThat(a.getMethod().getVariant()).isEqualTo(SaliencyVariant.dirac);
              assertThat(a.getMethod().getResidual()).isEqualTo("block-input");
              assertThat(a.getMethod().getCutNode())
                  .isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
              assertThat(a.getPredictions()).hasSize(2);
              assertThat(a.getMaps()).hasSize(2);
              assertThat(a.getModel().getName()).isEqualTo("timm_vit");
            });
  }

  @Test
  void everySelectedEventYieldsExactlyOneRecordAndBadImagesGoToTheDeadLetterTopic(TestBroker broker)
      throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    broker.createTopics(1, in);
    byte[] notAnImage = "this is not an image".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      ReplayTestSupport.send(p, in, 0, minutes(0), "good-0", true, null, StreamTestSupport.png(0));
      ReplayTestSupport.send(p, in, 0, minutes(1), "not-an-image", true, null, notAnImage);
      ReplayTestSupport.send(p, in, 0, minutes(2), "good-1", true, null, StreamTestSupport.png(1));
      ReplayTestSupport.send(p, in, 0, minutes(3), "empty", true, null, new byte[0]);
      ReplayTestSupport.send(p, in, 0, minutes(4), "good-2", true, null, StreamTestSupport.png(2));
    }
    String out = TestBroker.uniqueName("replayed");
    CliRun run = replay(s, "replay", "--from-offsets", "0:0", "--output-topic", out);
    assertThat(ReplayTestSupport.outcomes(broker, out, 5))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "good-0",
                "audit",
                "good-1",
                "audit",
                "good-2",
                "audit",
                "not-an-image",
                "unsupported_format",
                "empty",
                "empty_image"));
    assertThat(run.out())
        .contains(
            "5 events: 3 audited -> "
                + out
                + ", 2 dead-lettered -> "
                + out
                + ".dlq {empty_image=1, unsupported_format=1}");
    // The dead-letter record has the application's layout: the input as it was, plus error headers.
    ConsumerRecord<byte[], byte[]> dead =
        KafkaTestClients.readAll(
                broker, List.of(out + ".dlq"), 2, Duration.ofSeconds(30), Duration.ZERO)
            .stream()
            .filter(r -> r.offset() == 0)
            .findFirst()
            .orElseThrow();
    assertThat(dead.value()).isEqualTo(notAnImage);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("not-an-image");
    assertThat(dead.timestamp()).isEqualTo(minutes(1));
    assertThat(header(dead, "source")).isEqualTo("replay-test");
    assertThat(header(dead, DlqHeaders.TOPIC)).isEqualTo(in);
    assertThat(header(dead, DlqHeaders.PARTITION)).isEqualTo("0");
    assertThat(header(dead, DlqHeaders.OFFSET)).isEqualTo("1");
    assertThat(header(dead, DlqHeaders.EXCEPTION)).isEqualTo("org.vitaudit.stream.AuditFailure");
  }

  @Test
  void replaysTheMispredictionsOfAnAuditTopicWithAnotherModelAndComparesTheOutcome(
      TestBroker broker) throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    String oldAudits = TestBroker.uniqueName("old-audits");
    broker.createTopics(1, in, oldAudits);
    String newModel = Fixture.named("hf_vit").onnx().toString();
    int[] predicted = predictions(s, newModel, 5);
    // Labels the new model gets right, except m2's.
    String[] ids = {"m0", "r1", "m2", "m3", "old4"};
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < ids.length; i++) {
        int label = ids[i].equals("m2") ? (predicted[i] + 1) % 6 : predicted[i];
        ReplayTestSupport.send(
            p, in, 0, minutes(i), ids[i], true, "class" + label, StreamTestSupport.png(i));
      }
      // What the old model said: wrong for m0, m2, m3 and (a day earlier, outside the range) old4.
      var serializer = AvroSingleObjectSerde.forClass(AuditRecord.class).serializer();
      boolean[] wrong = {true, false, true, true, true};
      for (int i = 0; i < ids.length; i++) {
        AuditRecord before =
            AuditRecord.newBuilder(SampleRecords.audit())
                .setEventId(ids[i])
                .setInput(new InputCoordinates(in, 0, (long) i))
                .setKnownLabel("class0")
                .setCorrect(!wrong[i])
                .build();
        long stamp = ids[i].equals("old4") ? minutes(-24 * 60) : minutes(i);
        p.send(
                new ProducerRecord<>(
                    oldAudits,
                    null,
                    stamp,
                    ids[i].getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(oldAudits, before)))
            .get();
      }
    }
    String out = TestBroker.uniqueName("replayed");
    CliRun run =
        replay(
            s,
            "replay",
            "--mispredicted-in",
            oldAudits,
            "--from",
            T0.toString(),
            "--to",
            T0.plus(Duration.ofHours(1)).toString(),
            "--model",
            newModel,
            "--output-topic",
            out);
    assertThat(ReplayTestSupport.outcomes(broker, out, 3)).containsOnlyKeys("m0", "m2", "m3");
    assertThat(ReplayTestSupport.audits(broker, out, 3))
        .allSatisfy(a -> assertThat(a.getModel().getName()).isEqualTo("hf_vit"));
    assertThat(run.out())
        .contains(
            "replayed mispredicted in " + oldAudits,
            "with hf_vit",
            "accuracy 66.7 % (2 of 3 with a known label)",
            "compared with the earlier audits (mnist-vit abababab): 2 of 3 now right, 1 still"
                + " wrong, top class changed for 3");
  }

  @Test
  void replaysTheMispredictionsTopicJudgingTheNewOutcomeByTheLabelsJoinedLater(TestBroker broker)
      throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp);
    String in = s.get(AppConfig.INPUT_TOPIC_CONFIG);
    String mispredictions = s.get(AppConfig.MISPREDICTIONS_TOPIC_CONFIG);
    broker.createTopics(1, in, mispredictions);
    int[] predicted = predictions(s, s.get(AppConfig.MODEL_PATH_CONFIG), 2);
    var serializer = AvroSingleObjectSerde.forClass(Misprediction.class).serializer();
    try (KafkaProducer<byte[], byte[]> p = KafkaTestClients.producer(broker, Map.of())) {
      for (int i = 0; i < 2; i++) {
        // No label with the image: it came later on the labels topic, and lives on in the
        // misprediction.
        ReplayTestSupport.send(
            p, in, 0, minutes(i), "late-" + i, true, null, StreamTestSupport.png(i));
        String label = "class" + (i == 0 ? predicted[i] : (predicted[i] + 1) % 5);
        Misprediction m =
            Misprediction.newBuilder(SampleRecords.misprediction())
                .setAudit(
                    AuditRecord.newBuilder(SampleRecords.misprediction().getAudit())
                        .setEventId("late-" + i)
                        .setInput(new InputCoordinates(in, 0, (long) i))
                        .setKnownLabel(label)
                        .build())
                .build();
        p.send(
                new ProducerRecord<>(
                    mispredictions,
                    null,
                    minutes(i),
                    null,
                    serializer.serialize(mispredictions, m)))
            .get();
      }
    }
    String out = TestBroker.uniqueName("replayed");
    CliRun run =
        replay(s, "replay", "--mispredicted-in", "--output-topic", out); // the mispredictions topic
    assertThat(ReplayTestSupport.outcomes(broker, out, 2)).containsOnlyKeys("late-0", "late-1");
    assertThat(ReplayTestSupport.audits(broker, out, 2))
        .allSatisfy(a -> assertThat(a.getCorrect()).isEqualTo(a.getEventId().equals("late-0")));
    assertThat(run.out())
        .contains(
            "replayed mispredicted in " + mispredictions,
            "accuracy 50.0 % (1 of 2 with a known label)",
            "1 of 2 now right, 1 still wrong");
  }

  /** What the model predicts for the first n test images. */
  private static int[] predictions(Map<String, String> settings, String model, int n)
      throws Exception {
    Map<String, String> s = new HashMap<>(settings);
    s.put(AppConfig.MODEL_PATH_CONFIG, model);
    try (AuditorFactory.Opened opened = AuditorFactory.open(new AppConfig(s))) {
      int[] top = new int[n];
      for (int i = 0; i < n; i++) {
        var image = opened.auditor().prepare(StreamTestSupport.png(i));
        top[i] = opened.auditor().explain(List.of(image)).get(0).top().classIndex();
      }
      return top;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
