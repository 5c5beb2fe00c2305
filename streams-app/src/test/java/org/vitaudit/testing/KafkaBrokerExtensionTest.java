package org.vitaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@KafkaBroker
class KafkaBrokerExtensionTest {

  private static TestBroker beforeAll;

  /** Resolved in the class's context, before any instance exists. */
  @BeforeAll
  static void resolveInTheClassContext(TestBroker broker) {
    beforeAll = broker;
  }

  /** Resolved for the constructor, in the instance's context, not the test method's. */
  private final TestBroker injected;

  KafkaBrokerExtensionTest(TestBroker injected) {
    this.injected = injected;
  }

  @Test
  void everyTestClassGetsTheSameRunningBroker(TestBroker first, TestBroker second) {
    assertThat(first).isSameAs(second);
    // Brokers resolved in other contexts (class, constructor) are the same one too.
    assertThat(first).isSameAs(injected).isSameAs(beforeAll);
    assertThat(first.bootstrapServers()).matches("[\\w.-]+:\\d+(,[\\w.-]+:\\d+)*");
  }

  /**
   * A nested class has its own class context below the outer one's; it must get the same broker.
   */
  @Nested
  class NestedClass {
    private final TestBroker nestedInjected;

    NestedClass(TestBroker nestedInjected) {
      this.nestedInjected = nestedInjected;
    }

    @Test
    void getsTheOuterClassesBroker(TestBroker broker) {
      assertThat(broker).isSameAs(nestedInjected).isSameAs(injected).isSameAs(beforeAll);
    }
  }

  @Test
  void topicsCanBeCreatedTwice(TestBroker broker) throws Exception {
    String topic = TestBroker.uniqueName("twice");
    broker.createTopics(3, topic);
    broker.createTopics(3, topic);
    try (Admin admin = Admin.create(broker.clientProperties())) {
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(description.partitions()).hasSize(3);
    }
  }

  /** Exactly-once needs the transaction coordinator; a single-node broker must serve it. */
  @Test
  void transactionsWorkAndAbortedRecordsStayInvisible(TestBroker broker) {
    String topic = TestBroker.uniqueName("tx");
    broker.createTopics(1, topic);
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaTestClients.producer(
            broker,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestBroker.uniqueName("tx-id")))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("committed")));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("aborted")));
      producer.flush();
      producer.abortTransaction();
    }

    List<ConsumerRecord<byte[], byte[]>> seen =
        KafkaTestClients.readAll(
            broker, List.of(topic), 1, Duration.ofSeconds(30), Duration.ofMillis(500));

    assertThat(seen)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("committed");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
