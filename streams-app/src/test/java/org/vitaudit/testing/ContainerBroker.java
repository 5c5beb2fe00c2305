package org.vitaudit.testing;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers {@code apache/kafka} broker as a {@link TestBroker}, configured like the
 * embedded one (Testcontainers already sets replication factors and transaction ISR to 1).
 */
final class ContainerBroker implements TestBroker {

  /**
   * Set by the build from the root pom's {@code kafka.image}, so the tag is pinned in one place.
   */
  static final String IMAGE_PROPERTY = "vitaudit.test.kafka.image";

  private static final String DEFAULT_IMAGE = "apache/kafka:4.2.2";

  private final KafkaContainer container;

  ContainerBroker() {
    container =
        new KafkaContainer(DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE)))
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1");
    container.start();
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public Kind kind() {
    return Kind.CONTAINER;
  }

  @Override
  public void close() {
    container.stop();
  }
}
