package org.vitaudit.replay;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.vitaudit.kafka.OffsetRange;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.schemas.AuditRecord;

/** What a replay will read, fixed before it starts: bounded, so the replay always ends. */
public sealed interface ReplayPlan {

  /** Offsets to go through. */
  long total();

  /** Things the user should know about the plan (ranges cut to what is stored, ...). */
  List<String> notes();

  /**
   * Every record of the ranges that {@code selects} accepts.
   *
   * @param wantedIds the ids an event-id selection asks for (empty otherwise), to report those not
   *     found
   */
  record Scan(
      Map<TopicPartition, OffsetRange> ranges,
      Predicate<ConsumerRecord<byte[], byte[]>> selects,
      Set<String> wantedIds,
      List<String> notes)
      implements ReplayPlan {
    @Override
    public long total() {
      return ranges.values().stream().mapToLong(OffsetRange::size).sum();
    }
  }

  /**
   * The records at these positions, each with the audit record that selected it (to compare the
   * replay's outcome with).
   */
  record Pick(
      SortedMap<TopicPartition, SortedSet<Long>> offsets,
      Map<StoredPosition, AuditRecord> previous,
      List<String> notes)
      implements ReplayPlan {
    @Override
    public long total() {
      return offsets.values().stream().mapToLong(SortedSet::size).sum();
    }
  }
}
