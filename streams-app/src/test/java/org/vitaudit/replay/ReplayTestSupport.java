package org.vitaudit.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.stream.StreamIntegrationTest;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/** Producing stored events and reading what a replay wrote. */
final class ReplayTestSupport {
  private ReplayTestSupport() {}

  /**
   * Sends one raw event and waits until it is stored.
   *
   * @param partition null lets the producer choose
   * @param key also the {@code event-id} header unless {@code idHeader} is false
   */
  static RecordMetadata send(
      KafkaProducer<byte[], byte[]> p,
      String topic,
      Integer partition,
      long timestamp,
      String key,
      boolean idHeader,
      String label,
      byte[] value)
      throws Exception {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            topic,
            partition,
            timestamp,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value);
    if (idHeader && key != null) {
      r.headers().add("event-id", key.getBytes(StandardCharsets.UTF_8));
    }
    if (label != null) {
      r.headers().add("label", label.getBytes(StandardCharsets.UTF_8));
    }
    r.headers().add("source", "replay-test".getBytes(StandardCharsets.UTF_8));
    return p.send(r).get();
  }

  /** A configuration naming the replay's output and dead-letter topics as audit and DLQ topics. */
  static AppConfig outputs(String outputTopic) {
    return new AppConfig(
        Map.of(
            AppConfig.AUDIT_TOPIC_CONFIG,
            outputTopic,
            AppConfig.DLQ_TOPIC_CONFIG,
            ReplayOutput.dlqTopic(outputTopic)));
  }

  /** Event id to "audit" or the DLQ reason, failing on an event written twice. */
  static Map<String, String> outcomes(TestBroker broker, String outputTopic, int expected) {
    return StreamIntegrationTest.outcomes(broker, outputs(outputTopic), expected);
  }

  /** The audit records of a topic (Avro), read_committed. */
  static List<AuditRecord> audits(TestBroker broker, String topic, int expected) {
    var serde = AvroSingleObjectSerde.forClass(AuditRecord.class);
    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaTestClients.readAll(
            broker, List.of(topic), expected, Duration.ofSeconds(30), Duration.ofMillis(500));
    return records.stream().map(r -> serde.deserializer().deserialize(topic, r.value())).toList();
  }
}
