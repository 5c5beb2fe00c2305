package org.vitaudit.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqRecords;
import org.vitaudit.kafka.Topics;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.Outcome;

/**
 * Where a replay writes: an audit record per event to the output topic, or a dead-letter record
 * (the input's key, value and headers plus the error headers, as the application's DLQ has them) to
 * {@code <output>.dlq}.
 *
 * <p>Writes are transactional: committed about once a second and at the end, aborted when the
 * replay fails, so a {@code read_committed} reader sees each selected event exactly once after a
 * successful run (the producer's idempotence rules out duplicates from retries), and never a part
 * of a chunk that failed. The transactional id is derived from the output topic: a second replay
 * into the same topic fences the first, and a crashed run's open transaction is aborted as soon as
 * the next one starts.
 */
public final class ReplayOutput implements AutoCloseable {
  static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Serializer<AuditRecord> serializer;
  private long transactionStart;
  private boolean open;
  private int committed;
  private int pending;

  private ReplayOutput(
      String topic, KafkaProducer<byte[], byte[]> producer, Serializer<AuditRecord> serializer) {
    this.topic = topic;
    this.producer = producer;
    this.serializer = serializer;
  }

  public static String dlqTopic(String outputTopic) {
    return outputTopic + ".dlq";
  }

  public static String transactionalId(String outputTopic) {
    return "vit-audit-replay-" + outputTopic;
  }

  /**
   * Refuses an output topic the replay reads or the live application writes: replaying into it
   * would mix two models' records there.
   *
   * @param auditTopic the topic whose audit records select the events, or null
   */
  public static void refuseLiveTopics(AppConfig c, String outputTopic, String auditTopic) {
    for (String live :
        new String[] {
          c.getString(AppConfig.INPUT_TOPIC_CONFIG),
          c.getString(AppConfig.AUDIT_TOPIC_CONFIG),
          c.getString(AppConfig.DLQ_TOPIC_CONFIG),
          c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG),
          auditTopic
        }) {
      if (outputTopic.equals(live)) {
        throw new IllegalArgumentException(
            "--output-topic "
                + outputTopic
                + " is a topic the replay reads or the live"
                + " application writes; name a topic of its own, e.g. "
                + outputTopic
                + ".replay");
      }
    }
  }

  /** Creates the output and dead-letter topics where missing and starts the first transaction. */
  public static ReplayOutput open(AppConfig config, String outputTopic) {
    short replication = (short) (int) config.getInt(AppConfig.REPLICATION_FACTOR_CONFIG);
    Topics.create(config.clientProperties(), 1, replication, Map.of(), List.of(outputTopic));
    Topics.create(
        config.clientProperties(),
        1,
        replication,
        Map.of("max.message.bytes", String.valueOf(config.dlqRecordMaxBytes())),
        List.of(dlqTopic(outputTopic)));
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(outputTopic));
    props.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        config.getInt(AppConfig.TRANSACTION_TIMEOUT_MS_CONFIG));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.dlqRecordMaxBytes());
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw new IllegalStateException(
          "cannot start a transaction for " + outputTopic + ": " + e.getMessage(), e);
    }
    ReplayOutput out =
        new ReplayOutput(outputTopic, producer, AuditSerdes.configured(config).serializer());
    out.begin();
    return out;
  }

  public String topic() {
    return topic;
  }

  /** Writes the outcome of one input record. */
  public void write(ConsumerRecord<byte[], byte[]> input, Outcome outcome) {
    ProducerRecord<byte[], byte[]> record;
    if (outcome instanceof Outcome.Recorded a) {
      record =
          new ProducerRecord<>(
              topic, null, input.timestamp(), input.key(), serializer.serialize(topic, a.record()));
      record
          .headers()
          .add(EventReader.EVENT_ID_HEADER, a.eventId().getBytes(StandardCharsets.UTF_8));
    } else {
      Outcome.DeadLetter f = (Outcome.DeadLetter) outcome;
      RecordHeaders headers = new RecordHeaders(input.headers().toArray());
      DlqRecords.addErrorHeaders(
          headers, f.error(), f.reason(), input.topic(), input.partition(), input.offset());
      record =
          new ProducerRecord<>(
              dlqTopic(topic), null, input.timestamp(), input.key(), input.value(), headers);
    }
    producer.send(record);
    pending++;
  }

  /** Commits the open transaction when it has been open for a while. */
  public void commitIfDue() {
    if (System.nanoTime() - transactionStart >= COMMIT_INTERVAL.toNanos()) {
      commit();
      begin();
    }
  }

  /** Commits what is written; the replay's records are then all visible. */
  public void finish() {
    commit();
  }

  /** Records committed so far. */
  public int committed() {
    return committed;
  }

  private void begin() {
    producer.beginTransaction();
    transactionStart = System.nanoTime();
    open = true;
  }

  private void commit() {
    try {
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      open = false;
      throw new IllegalStateException(
          "another replay into "
              + topic
              + " started (transactional id "
              + transactionalId(topic)
              + "); this one stopped after "
              + committed
              + " committed records",
          e);
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "writing to "
              + topic
              + " failed after "
              + committed
              + " committed records: "
              + e.getMessage(),
          e);
    }
    open = false;
    committed += pending;
    pending = 0;
  }

  /** Aborts a transaction left open by a failure, then closes the producer. */
  @Override
  public void close() {
    try {
      if (open) {
        producer.abortTransaction();
      }
    } catch (KafkaException e) {
      // fenced or broken: the broker aborts it when the transaction times out or the next replay
      // starts
    } finally {
      producer.close(Duration.ofSeconds(30));
    }
  }
}
