package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHandlers;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.evaluation.QualityMeter;
import org.vitaudit.evaluation.ReciproCamMethod;
import org.vitaudit.evaluation.SaliencyMethod;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;

/** The topology's routing and records, driven by Kafka's TopologyTestDriver on a real model. */
class AuditTopologyTest {
  private static SaliencyEngine engine;

  @TempDir Path tmp;

  @BeforeAll
  static void open() {
    engine = StreamTestSupport.engine();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private record Driven(
      TopologyTestDriver driver,
      TestInputTopic<byte[], byte[]> in,
      TestOutputTopic<byte[], byte[]> audit,
      TestOutputTopic<byte[], byte[]> dlq)
      implements AutoCloseable {
    @Override
    public void close() {
      driver.close();
    }

    List<AuditRecord> audits(String format) {
      var serde = AuditSerdes.forFormat(format);
      return audit.readValuesToList().stream()
          .map(v -> serde.deserializer().deserialize("t", v))
          .toList();
    }
  }

  private Driven drive(AppConfig config, int topK) {
    Properties props =
        DlqHandlers.install(
            config.streamsProperties(), new AuditMetrics(new SimpleMeterRegistry()));
    props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
    TopologyTestDriver driver =
        new TopologyTestDriver(
            AuditTopology.build(
                config,
                StreamTestSupport.auditor(engine, topK),
                new AuditMetrics(new SimpleMeterRegistry())),
            props);
    return new Driven(
        driver,
        driver.createInputTopic(
            config.getString(AppConfig.INPUT_TOPIC_CONFIG),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            Instant.parse("2026-11-25T10:00:00Z"),
            Duration.ofSeconds(1)),
        driver.createOutputTopic(
            config.getString(AppConfig.AUDIT_TOPIC_CONFIG),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer()),
        driver.createOutputTopic(
            config.getString(AppConfig.DLQ_TOPIC_CONFIG),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aRawImageBecomesAnAuditRecordUnderTheInputsKey() {
    try (Driven d = drive(StreamTestSupport.config(), 2)) {
      byte[] image = StreamTestSupport.png(1);
      RecordHeaders headers = new RecordHeaders();
      headers.add("event-id", utf8("evt-1"));
      headers.add("label", utf8("class3"));
      d.in()
          .pipeInput(
              new TestRecord<>(
                  utf8("key-1"), image, headers, Instant.parse("2026-11-25T10:00:00Z")));
      TestRecord<byte[], byte[]> out = d.audit().readRecord();
      assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("key-1");
      AuditRecord a = AuditSerdes.forFormat("avro").deserializer().deserialize("t", out.value());
      assertThat(a.getEventId()).isEqualTo("evt-1");
      assertThat(a.getInput().getTopic()).isEqualTo("images");
      assertThat(a.getInput().getOffset()).isZero();
      assertThat(a.getEventTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
      // The digest of the model file's bytes, computed here rather than taken from the engine.
      byte[] modelFile = Files.readAllBytes(StreamTestSupport.MODEL.onnx());
      assertThat(a.getModel().getSha256())
          .isEqualTo(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(modelFile)));
      assertThat(a.getPredictions()).hasSize(2);
      assertThat(a.getKnownLabel()).isEqualTo("class3");
      // The maps are the engine's, quantised to bytes; the predictions and "correct" follow the
      // engine's top class.
      var expected =
          engine.explain(
              StreamTestSupport.auditor(engine, 2).prepare(image).tensor(),
              new ExplainRequest(MaskSpec.DEFAULT, ScoreMode.SOFTMAX, 2, List.of()));
      int top = expected.top().classIndex();
      assertThat(a.getPredictions().get(0).getClassIndex()).isEqualTo(top);
      assertThat(a.getCorrect()).isEqualTo(top == 3);
      assertThat(a.getExecutionProvider()).isEqualTo("CPU");
      // The timm fixture's cut, as check-model and split report it (CheckModelCommandTest,
      // SplitCommandTest).
      assertThat(a.getMethod().getCutNode()).isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");
      assertThat(a.getMethod().getResidual()).isEqualTo("masked-features");
      assertThat(a.getMaps()).hasSize(2);
      var m = a.getMaps().get(0);
      assertThat(m.getClassIndex()).isEqualTo(expected.maps().get(0).classIndex());
      float[] back = AuditRecords.values(m);
      for (int i = 0; i < back.length; i++) {
        assertThat(Math.abs(back[i] - expected.maps().get(0).values()[i]))
            .isLessThanOrEqualTo(0.5f / 255 + 1e-6f);
      }
      assertThat(m.getScoreMax()).isGreaterThanOrEqualTo(m.getScoreMin());
      assertThat(a.getTimings().getTotalMs()).isGreaterThan(0);
      assertThat(d.dlq().isEmpty()).isTrue();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theEventIdFallsBackToTheKeyThenToTheRecordsCoordinates() throws Exception {
    try (Driven d = drive(StreamTestSupport.config(), 1)) {
      d.in().pipeInput(utf8("the-key"), StreamTestSupport.png(2));
      d.in().pipeInput((byte[]) null, StreamTestSupport.png(3));
      List<AuditRecord> out = d.audits("avro");
      assertThat(out).extracting(AuditRecord::getEventId).containsExactly("the-key", "images-0-1");
      assertThat(out.get(1).getKnownLabel()).isNull();
      assertThat(out.get(1).getCorrect()).isNull();
    }
  }

  @Test
  void badImagesGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws Exception {
    try (Driven d = drive(StreamTestSupport.config(), 1)) {
      byte[] good = StreamTestSupport.png(4);
      byte[] truncated = Arrays.copyOf(good, 60);
      RecordHeaders h = new RecordHeaders();
      h.add("source", utf8("camera-7"));
      d.in().pipeInput(new TestRecord<>(utf8("bad-1"), truncated, h, Instant.now()));
      d.in().pipeInput(utf8("bad-2"), new byte[0]);
      d.in().pipeInput(utf8("bad-3"), utf8("not an image at all"));
      d.in().pipeInput(utf8("good"), good);
      assertThat(d.audits("avro")).extracting(AuditRecord::getEventId).containsExactly("good");
      List<TestRecord<byte[], byte[]>> dead = d.dlq().readRecordsToList();
      assertThat(dead).hasSize(3);
      assertThat(dead)
          .extracting(r -> header(r, DlqHeaders.REASON))
          .containsExactly("corrupt_image", "empty_image", "unsupported_format");
      // The original key, value and headers travel with the error headers.
      assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("bad-1");
      assertThat(dead.get(0).value()).isEqualTo(truncated);
      assertThat(header(dead.get(0), "source")).isEqualTo("camera-7");
      assertThat(header(dead.get(0), DlqHeaders.TOPIC)).isEqualTo("images");
      assertThat(header(dead.get(0), DlqHeaders.OFFSET)).isEqualTo("0");
      assertThat(header(dead.get(0), DlqHeaders.EXCEPTION)).isEqualTo(AuditFailure.class.getName());
    }
  }

  @Test
  void sampledEventsCarryTheirExplanationsQualityInTheRecordAndTheMetrics() throws Exception {
    AppConfig config = StreamTestSupport.config(AppConfig.QUALITY_SAMPLE_RATE_CONFIG, "1.0");
    var registry = new SimpleMeterRegistry();
    Properties props = DlqHandlers.install(config.streamsProperties(), null);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
    Auditor sampling =
        new Auditor(
            engine,
            new ImageDecoder(ImageLimits.DEFAULT),
            StreamTestSupport.MODEL.setup().preprocessing(),
            ExplainRequest.DEFAULT,
            1.0);
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            AuditTopology.build(config, sampling, new AuditMetrics(registry)), props)) {
      var in =
          driver.createInputTopic("images", new ByteArraySerializer(), new ByteArraySerializer());
      var out =
          driver.createOutputTopic(
              "audit.saliency", new ByteArrayDeserializer(), new ByteArrayDeserializer());
      byte[] image = StreamTestSupport.png(21);
      in.pipeInput(utf8("q"), image);
      AuditRecord a =
          AuditSerdes.forFormat("avro").deserializer().deserialize("t", out.readValue());
      assertThat(a.getQuality()).isNotNull();
      // The same numbers the evaluation's meter gives for this image and its map.
      var prepared = sampling.prepare(image);
      var e = engine.explain(prepared.tensor(), ExplainRequest.DEFAULT);
      var map = e.maps().get(0);
      var q =
          new QualityMeter(new ReciproCamMethod("x", engine, MaskSpec.DEFAULT), 32, 32)
              .measure(
                  prepared.tensor(),
                  e.top().classIndex(),
                  new SaliencyMethod.Output(
                      map.values(),
                      map.height(),
                      map.width(),
                      e.probabilities()[e.top().classIndex()]))
              .quality();
      assertThat((double) a.getQuality().getCoherency())
          .isCloseTo(q.coherency(), Assertions.within(1e-4));
      assertThat((double) a.getQuality().getComplexity())
          .isCloseTo(q.complexity(), Assertions.within(1e-4));
      assertThat((double) a.getQuality().getDrop()).isCloseTo(q.drop(), Assertions.within(1e-4));
      assertThat(registry.find(AuditMetrics.QUALITY).tag("metric", "coherency").summary().count())
          .isEqualTo(1);
    }
  }

  @Test
  void unsampledEventsCarryNoQuality() throws Exception {
    try (Driven d = drive(StreamTestSupport.config(), 1)) {
      d.in().pipeInput(utf8("k"), StreamTestSupport.png(22));
      assertThat(d.audits("avro").get(0).getQuality()).isNull();
    }
  }

  @Test
  void jsonAuditRecordsCarryTheSameFieldNames() throws Exception {
    try (Driven d = drive(StreamTestSupport.config(AppConfig.AUDIT_FORMAT_CONFIG, "json"), 1)) {
      d.in().pipeInput(utf8("k"), StreamTestSupport.png(5));
      var json = new ObjectMapper().readTree(d.audit().readValue());
      assertThat(json.get("event_id").asText()).isEqualTo("k");
      assertThat(json.get("maps").get(0).get("values")).hasSize(16);
      assertThat(json.get("predictions").get(0).has("probability")).isTrue();
      assertThat(json.get("timings").has("g_ms")).isTrue();
    }
  }

  @Test
  void avroEventsCarryTheImageInlineOrByAnAllowedFileUri() throws Exception {
    Path allowed = Files.createDirectories(tmp.resolve("images"));
    Path file = allowed.resolve("cat.png");
    Files.write(file, StreamTestSupport.png(6));
    Path outside = Files.write(tmp.resolve("secret.png"), StreamTestSupport.png(7));
    AppConfig config =
        StreamTestSupport.config(
            AppConfig.INPUT_FORMAT_CONFIG,
            "avro",
            AppConfig.URI_FILE_ALLOWED_DIRS_CONFIG,
            allowed.toString());
    var events = AvroSingleObjectSerde.forClass(ImageEvent.class).serializer();
    try (Driven d = drive(config, 1)) {
      d.in()
          .pipeInput(
              utf8("a"),
              events.serialize("t", event("inline", ByteBuffer.wrap(StreamTestSupport.png(8)))));
      d.in().pipeInput(utf8("b"), events.serialize("t", event("by-file", file.toUri().toString())));
      d.in()
          .pipeInput(
              utf8("c"), events.serialize("t", event("outside", outside.toUri().toString())));
      assertThat(d.audits("avro"))
          .extracting(AuditRecord::getEventId)
          .containsExactly("inline", "by-file");
      List<TestRecord<byte[], byte[]>> dead = d.dlq().readRecordsToList();
      // (Unreadable Avro is dead-lettered by the deserialization handler, which the test driver
      // does not route to output topics: StreamIntegrationTest checks it on a real broker.)
      assertThat(dead)
          .extracting(r -> header(r, DlqHeaders.REASON))
          .containsExactly("uri_not_allowed");
    }
  }

  private static ImageEvent event(String id, Object image) {
    return ImageEvent.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.parse("2026-11-25T09:00:00Z"))
        .setImage(image)
        .setLabel("class1")
        .build();
  }

  @Test
  void aMicroBatchRunsWhenFullOrWhenItsOldestEventHasWaitedLongEnough() throws Exception {
    // Batches run on the stream thread here, so that outputs are there when a full batch returns.
    AppConfig config =
        StreamTestSupport.config(
            AppConfig.BATCH_MAX_RECORDS_CONFIG,
            "3",
            AppConfig.BATCH_MAX_WAIT_MS_CONFIG,
            "1000",
            AppConfig.BATCH_OVERLAP_CONFIG,
            "false");
    try (Driven d = drive(config, 1)) {
      d.in().pipeInput(utf8("1"), StreamTestSupport.png(11));
      d.in().pipeInput(utf8("2"), StreamTestSupport.png(12));
      assertThat(d.audit().isEmpty()).isTrue();
      // The processor's own work on the two events (real time, while the driver's clock stands
      // still) does not count as waiting: a little more than the 1000 ms.
      d.driver().advanceWallClockTime(Duration.ofMillis(2000));
      assertThat(d.audits("avro")).extracting(AuditRecord::getEventId).containsExactly("1", "2");
      d.in().pipeInput(utf8("3"), StreamTestSupport.png(13));
      d.in().pipeInput(utf8("4"), new byte[0]); // dead-lettered at once, never buffered
      d.in().pipeInput(utf8("5"), StreamTestSupport.png(14));
      assertThat(d.audit().isEmpty()).isTrue();
      d.in().pipeInput(utf8("6"), StreamTestSupport.png(15));
      assertThat(d.audits("avro"))
          .extracting(AuditRecord::getEventId)
          .containsExactly("3", "5", "6");
      assertThat(d.dlq().readRecordsToList()).hasSize(1);
    }
  }
}
