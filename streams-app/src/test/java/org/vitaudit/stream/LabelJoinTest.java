package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHandlers;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroSingleObjectSerde;

/** Labels joined with audits in either order, with the image, late, never, or twice. */
class LabelJoinTest {
  private static SaliencyEngine engine;
  @TempDir Path tmp;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> images;
  private TestInputTopic<String, String> labels;
  private TestOutputTopic<byte[], byte[]> wrong;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeAll
  static void open() {
    engine = StreamTestSupport.engine();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @BeforeEach
  void drive() {
    AppConfig config = StreamTestSupport.config(AppConfig.LABEL_JOIN_RETENTION_MS_CONFIG, "60000");
    Properties props = DlqHandlers.install(config.streamsProperties(), null);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                config,
                StreamTestSupport.auditor(engine, 1),
                new AuditMetrics(new SimpleMeterRegistry())),
            props,
            Instant.parse("2026-11-25T10:00:00Z"));
    images =
        driver.createInputTopic("images", new ByteArraySerializer(), new ByteArraySerializer());
    labels = driver.createInputTopic("labels", new StringSerializer(), new StringSerializer());
    wrong =
        driver.createOutputTopic(
            "audit.mispredictions", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    dlq =
        driver.createOutputTopic(
            "audit.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  /** The model's own prediction on a test image, and a label that contradicts it. */
  private static int predicted(byte[] png) throws Exception {
    return engine
        .explain(StreamTestSupport.auditor(engine, 1).prepare(png).tensor(), ExplainRequest.DEFAULT)
        .top()
        .classIndex();
  }

  private static String wrongLabel(byte[] png) throws Exception {
    return "class" + ((predicted(png) + 1) % 5);
  }

  private void image(String id, byte[] png, String label) {
    var h = new RecordHeaders().add("event-id", id.getBytes(StandardCharsets.UTF_8));
    if (label != null) {
      h.add("label", label.getBytes(StandardCharsets.UTF_8));
    }
    images.pipeInput(
        new TestRecord<>(("key-" + id).getBytes(StandardCharsets.UTF_8), png, h, Instant.now()));
  }

  private List<Misprediction> mispredictions() {
    var d = AvroSingleObjectSerde.forClass(Misprediction.class).deserializer();
    return wrong.readValuesToList().stream().map(v -> d.deserialize("t", v)).toList();
  }

  @Test
  void aWrongLabelThatCameWithTheImageIsPublishedAtOnceWithBothMaps() throws Exception {
    byte[] png = StreamTestSupport.png(1);
    String label = wrongLabel(png);
    image("e1", png, label);
    TestRecord<byte[], byte[]> r = wrong.readRecord();
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("key-e1");
    Misprediction m =
        AvroSingleObjectSerde.forClass(Misprediction.class)
            .deserializer()
            .deserialize("t", r.value());
    int truth = Integer.parseInt(label.substring(5));
    assertThat(m.getTrueClassIndex()).isEqualTo(truth);
    assertThat(m.getTrueLabel()).isEqualTo(label);
    assertThat(m.getAudit().getCorrect()).isFalse();
    Explanation e =
        engine.explain(
            StreamTestSupport.auditor(engine, 1).prepare(png).tensor(), ExplainRequest.DEFAULT);
    assertThat(m.getPredictedClassMap().getClassIndex()).isEqualTo(e.top().classIndex());
    float[] want = e.scores().mapFor(truth, engine.facts().layout()).values();
    float[] got = AuditRecords.values(m.getTrueClassMap());
    for (int i = 0; i < want.length; i++) {
      assertThat(Math.abs(got[i] - want[i])).isLessThanOrEqualTo(0.5f / 255 + 1e-6f);
    }
  }

  @Test
  void aRightLabelPublishesNothing() throws Exception {
    byte[] png = StreamTestSupport.png(2);
    image("e2", png, "class" + predicted(png));
    labels.pipeInput("e3", String.valueOf(predicted(StreamTestSupport.png(3))));
    image("e3", StreamTestSupport.png(3), null);
    assertThat(wrong.isEmpty()).isTrue();
  }

  @Test
  void aLateLabelAndAnEarlyLabelBothJoin() throws Exception {
    byte[] late = StreamTestSupport.png(4);
    image("late", late, null);
    assertThat(wrong.isEmpty()).isTrue();
    labels.pipeInput("late", wrongLabel(late));
    byte[] early = StreamTestSupport.png(5);
    labels.pipeInput("early", wrongLabel(early));
    image("early", early, null);
    assertThat(mispredictions())
        .extracting(m -> m.getAudit().getEventId())
        .containsExactly("late", "early");
  }

  @Test
  void aRepeatedLabelPublishesOnce() throws Exception {
    byte[] png = StreamTestSupport.png(6);
    image("twice", png, null);
    labels.pipeInput("twice", wrongLabel(png));
    labels.pipeInput("twice", wrongLabel(png));
    assertThat(mispredictions()).hasSize(1);
  }

  @Test
  void waitingAuditsAndLabelsExpireAfterTheRetention() throws Exception {
    image("never-labelled", StreamTestSupport.png(7), null);
    labels.pipeInput("never-imaged", "class1");
    assertThat(driver.getTimestampedKeyValueStore(LabelJoin.PENDING_AUDITS).get("never-labelled"))
        .isNotNull();
    driver.advanceWallClockTime(Duration.ofSeconds(70));
    assertThat(driver.getTimestampedKeyValueStore(LabelJoin.PENDING_AUDITS).get("never-labelled"))
        .isNull();
    assertThat(driver.getTimestampedKeyValueStore(LabelJoin.PENDING_LABELS).get("never-imaged"))
        .isNull();
    // A label after the retention finds nothing to join.
    labels.pipeInput("never-labelled", wrongLabel(StreamTestSupport.png(7)));
    assertThat(wrong.isEmpty()).isTrue();
  }

  @Test
  void withTheJoinOffOnlyLabelsThatCameWithTheImageCount() throws Exception {
    driver.close();
    AppConfig config = StreamTestSupport.config(AppConfig.LABEL_JOIN_ENABLED_CONFIG, "false");
    Properties props = DlqHandlers.install(config.streamsProperties(), null);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("off").toString());
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                config,
                StreamTestSupport.auditor(engine, 1),
                new AuditMetrics(new SimpleMeterRegistry())),
            props);
    images =
        driver.createInputTopic("images", new ByteArraySerializer(), new ByteArraySerializer());
    wrong =
        driver.createOutputTopic(
            "audit.mispredictions", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    byte[] png = StreamTestSupport.png(8);
    image("with-label", png, wrongLabel(png));
    image("without", StreamTestSupport.png(9), null);
    assertThat(mispredictions())
        .extracting(m -> m.getAudit().getEventId())
        .containsExactly("with-label");
    assertThat(driver.getAllStateStores()).doesNotContainKey(LabelJoin.PENDING_AUDITS);
  }

  @Test
  void aLabelNamingNoClassIsDeadLettered() {
    labels.pipeInput("e9", "giraffe");
    var dead = dlq.readRecord();
    assertThat(
            new String(
                dead.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8))
        .isEqualTo("unknown_label");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("giraffe");
  }
}
