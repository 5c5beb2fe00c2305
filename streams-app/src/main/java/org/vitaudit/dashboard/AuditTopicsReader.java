package org.vitaudit.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * Follows the audit, mispredictions and dead-letter topics into a {@link DashboardState}: one
 * group-less consumer ({@link TopicReader}'s settings: assign and seek, never a group, nothing
 * committed) reading committed records only, from where {@link StartAt} says. It never writes. A
 * record it cannot decode is logged and skipped: the dashboard shows what it can. A broker that
 * goes away is waited for: the consumer reconnects and goes on from its positions.
 */
public final class AuditTopicsReader implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTopicsReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA = Duration.ofSeconds(30);
  private static final long RETRY_MS = 1000;
  private static final int MAX_POLL_RECORDS = 500;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DashboardState state;
  private final String auditTopic;
  private final String mispredictionsTopic;
  private final String dlqTopic;
  private final Map<String, Object> clientProperties;
  private final StartAt start;
  private final Deserializer<AuditRecord> audits;
  private final AvroSingleObjectSerde<Misprediction> mispredictions =
      AvroSingleObjectSerde.forClass(Misprediction.class);

  public AuditTopicsReader(AppConfig config, DashboardState state, StartAt start) {
    this.clientProperties = config.clientProperties();
    Map<String, Object> p =
        TopicReader.consumerProperties(clientProperties, MAX_POLL_RECORDS, "vit-audit-dashboard-");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.state = state;
    this.auditTopic = config.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    this.mispredictionsTopic = config.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG);
    this.dlqTopic = config.getString(AppConfig.DLQ_TOPIC_CONFIG);
    this.start = start;
    this.audits =
        AuditSerdes.forFormat(config.getString(AppConfig.AUDIT_FORMAT_CONFIG)).deserializer();
  }

  /**
   * Reads until {@link #close()}; a topic that does not exist yet is looked for again each second,
   * and a broker that cannot be reached is retried each second.
   */
  @Override
  public void run() {
    List<TopicPartition> assigned = new ArrayList<>();
    long nextLook = 0;
    try {
      while (true) {
        try {
          if (assigned.size() < 3 && System.currentTimeMillis() >= nextLook) {
            nextLook = System.currentTimeMillis() + RETRY_MS;
            assignNewTopics(assigned);
          }
          if (assigned.isEmpty()) {
            Thread.sleep(POLL.toMillis());
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            accept(r);
          }
        } catch (WakeupException | InterruptedException stop) {
          throw stop;
        } catch (RuntimeException e) {
          // Metadata or offsets that time out while the broker restarts: the consumer keeps its
          // positions and reconnects by itself, so waiting is all there is to do.
          LOG.warn("dashboard reader: {}; retrying in {} ms", e.toString(), RETRY_MS);
          Thread.sleep(RETRY_MS);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // asked to stop
    } finally {
      consumer.close();
    }
  }

  private void assignNewTopics(List<TopicPartition> assigned) {
    List<TopicPartition> added = new ArrayList<>();
    Map<String, List<PartitionInfo>> topics = consumer.listTopics(METADATA);
    for (String topic : List.of(auditTopic, mispredictionsTopic, dlqTopic)) {
      if (assigned.stream().anyMatch(tp -> tp.topic().equals(topic))) {
        continue;
      }
      List<PartitionInfo> infos = topics.get(topic);
      if (infos != null) {
        infos.forEach(i -> added.add(new TopicPartition(topic, i.partition())));
      }
    }
    if (added.isEmpty()) {
      return;
    }
    // A topic that appears after the others starts at its beginning: everything in it is new.
    StartAt from = assigned.isEmpty() ? start : new StartAt.Beginning();
    Map<TopicPartition, Long> offsets;
    try (TopicReader lookup =
        new TopicReader(clientProperties, 1, METADATA, "vit-audit-dashboard-offsets-")) {
      offsets = from.offsets(lookup, added);
    }
    List<TopicPartition> all = new ArrayList<>(assigned);
    all.addAll(added);
    consumer.assign(all);
    added.forEach(tp -> consumer.seek(tp, offsets.get(tp)));
    assigned.addAll(added);
    LOG.info("dashboard reading {} from {}", added, offsets);
  }

  void accept(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      if (r.topic().equals(dlqTopic)) {
        state.acceptDeadLetter(deadLetter(r));
      } else if (r.topic().equals(mispredictionsTopic)) {
        state.acceptMisprediction(mispredictions.decode(r.topic(), r.value()), r.timestamp());
      } else {
        state.acceptAudit(audits.deserialize(r.topic(), r.headers(), r.value()), r.timestamp());
      }
    } catch (RuntimeException e) {
      LOG.warn("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
    }
  }

  static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
    Headers h = r.headers();
    String topic = header(h, DlqHeaders.TOPIC);
    String partition = header(h, DlqHeaders.PARTITION);
    String offset = header(h, DlqHeaders.OFFSET);
    String id = header(h, "event-id");
    if (id == null && r.key() != null) {
      id = new String(r.key(), StandardCharsets.UTF_8);
    }
    if (id == null) {
      id = topic + "-" + partition + "-" + offset;
    }
    String reason = header(h, DlqHeaders.REASON);
    return new DeadLetter(
        id,
        reason == null ? "unknown" : reason,
        header(h, DlqHeaders.EXCEPTION),
        header(h, DlqHeaders.MESSAGE),
        topic,
        number(partition) == null ? null : number(partition).intValue(),
        number(offset),
        r.timestamp());
  }

  private static String header(Headers h, String name) {
    Header last = h.lastHeader(name);
    return last == null || last.value() == null
        ? null
        : new String(last.value(), StandardCharsets.UTF_8);
  }

  private static Long number(String s) {
    try {
      return s == null ? null : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Makes {@link #run()} return (from another thread); the consumer closes there. */
  @Override
  public void close() {
    consumer.wakeup();
  }
}
