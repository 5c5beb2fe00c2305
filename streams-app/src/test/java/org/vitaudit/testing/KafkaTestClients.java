package org.vitaudit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain byte-array clients for integration tests. */
public final class KafkaTestClients {

  private KafkaTestClients() {}

  public static KafkaProducer<byte[], byte[]> producer(
      TestBroker broker, Map<String, Object> overrides) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putAll(overrides);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A consumer that only sees committed transactions, as downstream consumers of the app should.
   */
  public static KafkaConsumer<byte[], byte[]> readCommittedConsumer(TestBroker broker) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, TestBroker.uniqueName("test-reader"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads the topics until {@code expected} records arrived, then keeps polling {@code settle} more
   * to catch extra records (duplicates) that would break an exactly-once claim.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      TestBroker broker,
      Collection<String> topics,
      int expected,
      Duration timeout,
      Duration settle) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer(broker)) {
      consumer.subscribe(topics);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long settleEnd = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleEnd) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The offset the consumer group has committed on the partition, or -1 where it has none. */
  public static long committedOffset(TestBroker broker, String group, TopicPartition tp)
      throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return committed.containsKey(tp) ? committed.get(tp).offset() : -1;
    }
  }

  /** Waits (90 s at most) until the consumer group has committed at least {@code offset}. */
  public static void awaitCommittedOffset(
      TestBroker broker, String group, TopicPartition tp, long offset) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (committedOffset(broker, group, tp) >= offset) {
        return;
      }
      Thread.sleep(200);
    }
    try (Admin admin = Admin.create(broker.clientProperties())) {
      throw new AssertionError(
          "the group never committed offset "
              + offset
              + " of "
              + tp
              + " (end offset "
              + admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get()
              + ")");
    }
  }
}
