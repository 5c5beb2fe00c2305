package org.vitaudit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The reader's settings that keep it out of every group. */
class TopicReaderTest {
  @Test
  void theReaderHasNoGroupSoItCanNeitherJoinNorCommit() {
    Map<String, Object> p =
        TopicReader.consumerProperties(
            Map.of(
                "bootstrap.servers",
                "b:9092",
                ConsumerConfig.GROUP_ID_CONFIG,
                "vit-audit",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                "i1"),
            7);
    assertThat(p)
        .doesNotContainKeys(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 7)
        .containsEntry("bootstrap.servers", "b:9092");
  }
}
