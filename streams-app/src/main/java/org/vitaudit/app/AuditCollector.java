package org.vitaudit.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.serde.AuditSerdes;

/**
 * Reads the audit and dead-letter topics (read_committed) until every expected event has an outcome
 * or time runs out. Events are matched by the event id the records carry.
 */
public final class AuditCollector {
  /** What became of the expected events. */
  public record Outcomes(Map<String, AuditRecord> audited, Map<String, String> deadLettered) {
    public int total() {
      return audited.size() + deadLettered.size();
    }
  }

  private AuditCollector() {}

  /**
   * @param progress told (audited, dead-lettered) counts as they grow
   */
  /** As below, on the configured audit and dead-letter topics, in the configured audit format. */
  public static Outcomes collect(
      AppConfig config,
      Set<String> expected,
      Duration timeout,
      BiConsumer<Integer, Integer> progress) {
    return collect(
        config.clientProperties(),
        config.getString(AppConfig.AUDIT_TOPIC_CONFIG),
        config.getString(AppConfig.DLQ_TOPIC_CONFIG),
        AuditSerdes.configured(config).deserializer(),
        expected,
        timeout,
        progress);
  }

  public static Outcomes collect(
      Map<String, Object> clientProperties,
      String auditTopic,
      String dlqTopic,
      Deserializer<AuditRecord> audits,
      Set<String> expected,
      Duration timeout,
      BiConsumer<Integer, Integer> progress) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "vit-audit-collector-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, AuditRecord> audited = new HashMap<>();
    Map<String, String> dead = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(auditTopic, dlqTopic));
      while (audited.size() + dead.size() < expected.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(auditTopic)) {
            AuditRecord a = audits.deserialize(r.topic(), r.value());
            if (expected.contains(a.getEventId())) {
              audited.put(a.getEventId(), a);
            }
          } else {
            String id = header(r, "event-id");
            if (id != null && expected.contains(id)) {
              dead.put(id, header(r, "vitaudit.error.reason"));
            }
          }
        }
        progress.accept(audited.size(), dead.size());
      }
    }
    return new Outcomes(audited, dead);
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
