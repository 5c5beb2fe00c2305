package org.vitaudit.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.OffsetRange;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.EventReader;

/**
 * Turns a {@link Selection} into a {@link ReplayPlan}: offsets are resolved against what the topics
 * hold now (end offsets snapshotted here), so later writes never lengthen the replay.
 */
public final class ReplayPlanner {
  private final TopicReader reader;
  private final EventReader<?> events;
  private final String inputTopic;
  private final AuditReader audits;

  /**
   * @param inputTopic where time, offset and id selections read
   * @param audits reads the audit or mispredictions topic of a {@link Selection.Mispredicted}
   */
  public ReplayPlanner(
      TopicReader reader, EventReader<?> events, String inputTopic, AuditReader audits) {
    this.reader = reader;
    this.events = events;
    this.inputTopic = inputTopic;
    this.audits = audits;
  }

  public ReplayPlan plan(Selection selection, Progress progress) {
    if (selection instanceof Selection.TimeRange t) {
      return new ReplayPlan.Scan(
          timeRanges(inputTopic, t), r -> t.contains(r.timestamp()), Set.of(), List.of());
    }
    if (selection instanceof Selection.OffsetRanges o) {
      return offsetRanges(o);
    }
    if (selection instanceof Selection.EventIds ids) {
      return new ReplayPlan.Scan(
          reader.stored(inputTopic),
          r -> ids.ids().contains(events.storedEventId(r)),
          ids.ids(),
          List.of());
    }
    return mispredicted((Selection.Mispredicted) selection, progress);
  }

  /**
   * Per partition, from the first record at or after {@code from} to the first at or after {@code
   * to}. Records are filtered by timestamp as well, so an out-of-order one inside is left out.
   */
  Map<TopicPartition, OffsetRange> timeRanges(String topic, Selection.TimeRange t) {
    List<TopicPartition> tps = reader.partitions(topic);
    Map<TopicPartition, Long> begin = reader.beginnings(tps);
    Map<TopicPartition, Long> end = reader.ends(tps);
    Map<TopicPartition, Long> starts =
        t.from().map(f -> reader.firstAtOrAfter(f, end)).orElse(begin);
    Map<TopicPartition, Long> stops = t.to().map(x -> reader.firstAtOrAfter(x, end)).orElse(end);
    Map<TopicPartition, OffsetRange> out = new LinkedHashMap<>();
    for (TopicPartition tp : tps) {
      long from = Math.min(Math.max(starts.get(tp), begin.get(tp)), end.get(tp));
      out.put(tp, new OffsetRange(from, Math.max(from, Math.min(stops.get(tp), end.get(tp)))));
    }
    return out;
  }

  private ReplayPlan offsetRanges(Selection.OffsetRanges o) {
    List<TopicPartition> tps = reader.partitions(inputTopic);
    Map<TopicPartition, Long> begin = reader.beginnings(tps);
    Map<TopicPartition, Long> end = reader.ends(tps);
    Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (int p : o.partitions()) {
      TopicPartition tp = new TopicPartition(inputTopic, p);
      if (!begin.containsKey(tp)) {
        throw new IllegalArgumentException(
            "topic "
                + inputTopic
                + " has no partition "
                + p
                + " (it has 0.."
                + (tps.size() - 1)
                + ")");
      }
      long from = o.from().getOrDefault(p, begin.get(tp));
      long to = o.to().getOrDefault(p, end.get(tp));
      if (from < begin.get(tp)) {
        notes.add(
            "partition "
                + p
                + ": offsets before "
                + begin.get(tp)
                + " are no longer stored (retention);"
                + " starting there");
        from = begin.get(tp);
      }
      if (to > end.get(tp)) {
        notes.add("partition " + p + " ends at offset " + end.get(tp) + "; reading to there");
        to = end.get(tp);
      }
      ranges.put(tp, new OffsetRange(Math.min(from, to), to));
    }
    return new ReplayPlan.Scan(ranges, r -> true, Set.of(), notes);
  }

  /**
   * Reads the audit topic in the window, keeps each input's latest audit record (by processing
   * time), and picks the inputs whose latest audit says the prediction was wrong.
   */
  private ReplayPlan mispredicted(Selection.Mispredicted m, Progress progress) {
    Map<TopicPartition, OffsetRange> window = timeRanges(m.auditTopic(), m.window());
    Map<StoredPosition, AuditRecord> latest = new HashMap<>();
    int[] unreadable = {0};
    long total = window.values().stream().mapToLong(OffsetRange::size).sum();
    reader.scan(
        window,
        r -> {
          if (!m.window().contains(r.timestamp())) {
            return;
          }
          AuditRecord a;
          try {
            a = audits.read(r).map(StoredAudit::audit).orElse(null);
          } catch (RuntimeException e) {
            unreadable[0]++;
            return;
          }
          if (a == null) {
            return;
          }
          StoredPosition input =
              new StoredPosition(
                  a.getInput().getTopic(), a.getInput().getPartition(), a.getInput().getOffset());
          latest.merge(
              input,
              a,
              (old, now) -> now.getProcessingTime().isBefore(old.getProcessingTime()) ? old : now);
        },
        progress.begin("reading " + m.auditTopic(), total));
    SortedMap<TopicPartition, SortedSet<Long>> offsets =
        new TreeMap<>(
            Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
    Map<StoredPosition, AuditRecord> previous = new HashMap<>();
    latest.forEach(
        (at, a) -> {
          if (Boolean.FALSE.equals(a.getCorrect())) {
            offsets.computeIfAbsent(at.topicPartition(), k -> new TreeSet<>()).add(at.offset());
            previous.put(at, a);
          }
        });
    List<String> notes = new ArrayList<>();
    if (unreadable[0] > 0) {
      notes.add(
          unreadable[0]
              + " records of "
              + m.auditTopic()
              + " are neither audit records in this audit.format"
              + " nor mispredictions; skipped (--set audit.format=json or avro)");
    }
    return new ReplayPlan.Pick(offsets, previous, notes);
  }
}
