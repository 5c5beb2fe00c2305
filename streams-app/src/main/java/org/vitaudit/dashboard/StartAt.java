package org.vitaudit.dashboard;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.vitaudit.kafka.TopicReader;

/** Where the dashboard starts reading each partition of the topics it finds when it starts. */
public sealed interface StartAt {
  /** The first offset to read of each partition. */
  Map<TopicPartition, Long> offsets(TopicReader reader, Collection<TopicPartition> partitions);

  /** The oldest stored records. */
  record Beginning() implements StartAt {
    @Override
    public Map<TopicPartition, Long> offsets(
        TopicReader reader, Collection<TopicPartition> partitions) {
      return reader.beginnings(partitions);
    }
  }

  /** Only what is written from now on. */
  record End() implements StartAt {
    @Override
    public Map<TopicPartition, Long> offsets(
        TopicReader reader, Collection<TopicPartition> partitions) {
      return reader.ends(partitions);
    }
  }

  /** The first record whose timestamp is at or after {@code time} (Kafka's offsetsForTimes). */
  record Time(Instant time) implements StartAt {
    @Override
    public Map<TopicPartition, Long> offsets(
        TopicReader reader, Collection<TopicPartition> partitions) {
      return reader.firstAtOrAfter(time, reader.ends(partitions));
    }
  }
}
