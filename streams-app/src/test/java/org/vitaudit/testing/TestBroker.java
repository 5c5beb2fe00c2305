package org.vitaudit.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.kafka.Topics;

/**
 * A running Kafka broker a test can use: a Testcontainers {@code apache/kafka} container where
 * Docker is available, Kafka's own in-process KRaft broker otherwise. One broker serves the whole
 * test run, so tests isolate themselves with {@link #uniqueName} topics and application ids.
 */
public interface TestBroker extends AutoCloseable {

  /** How the broker runs. */
  enum Kind {
    /** {@code org.vitaudit.kafka.EmbeddedKafka} in this JVM. */
    EMBEDDED,
    /** A Testcontainers {@code apache/kafka} container. */
    CONTAINER
  }

  String bootstrapServers();

  Kind kind();

  /** {@code bootstrap.servers} alone, to start client configs from. */
  default Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Creates topics with {@code partitions} partitions each, replication factor 1. */
  default void createTopics(int partitions, String... topics) {
    Topics.create(clientProperties(), partitions, (short) 1, Map.of(), List.of(topics));
  }

  /**
   * A name no other test of this run uses, e.g. {@code uniqueName("images")} -> images-3f9c1a2b.
   */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A broker the test started itself (to restart it, say): closing this view leaves it be. */
  static TestBroker over(EmbeddedKafka kafka) {
    return new EmbeddedBroker(kafka, false);
  }

  @Override
  void close();
}
