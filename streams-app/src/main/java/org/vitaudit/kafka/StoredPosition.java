package org.vitaudit.kafka;

import org.apache.kafka.common.TopicPartition;

/** Where one record is stored; written {@code topic-partition@offset}, e.g. {@code images-0@42}. */
public record StoredPosition(String topic, int partition, long offset) {
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
