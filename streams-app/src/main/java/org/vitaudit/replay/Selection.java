package org.vitaudit.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.vitaudit.kafka.PartitionOffset;

/** Which stored input events a replay takes. */
public sealed interface Selection {

  /** A short description for progress lines and the summary. */
  String describe();

  /**
   * Events whose Kafka record timestamp is in [from, to); either bound may be open. The timestamp
   * is the producer's (or the broker's, with LogAppendTime), which audit records keep.
   */
  record TimeRange(Optional<Instant> from, Optional<Instant> to) implements Selection {
    public TimeRange {
      if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
        throw new IllegalArgumentException(
            "--from " + from.get() + " is not before --to " + to.get());
      }
    }

    public static TimeRange all() {
      return new TimeRange(Optional.empty(), Optional.empty());
    }

    public boolean contains(long timestampMillis) {
      return from.map(f -> timestampMillis >= f.toEpochMilli()).orElse(true)
          && to.map(t -> timestampMillis < t.toEpochMilli()).orElse(true);
    }

    @Override
    public String describe() {
      return "timestamps "
          + from.map(Instant::toString).orElse("(start)")
          + " to "
          + to.map(Instant::toString).orElse("(end)");
    }
  }

  /**
   * Offsets per partition, from (inclusive) to (exclusive); a partition named once is open on the
   * other side.
   */
  record OffsetRanges(SortedMap<Integer, Long> from, SortedMap<Integer, Long> to)
      implements Selection {
    public OffsetRanges {
      from = Collections.unmodifiableSortedMap(new TreeMap<>(from));
      to = Collections.unmodifiableSortedMap(new TreeMap<>(to));
      if (from.isEmpty() && to.isEmpty()) {
        throw new IllegalArgumentException(
            "--from-offsets or --to-offsets must name at least one partition");
      }
      for (var e : from.entrySet()) {
        Long end = to.get(e.getKey());
        if (end != null && end < e.getValue()) {
          throw new IllegalArgumentException(
              "partition "
                  + e.getKey()
                  + ": --from-offsets "
                  + e.getValue()
                  + " is after --to-offsets "
                  + end);
        }
      }
    }

    public Set<Integer> partitions() {
      Set<Integer> all = new TreeSet<>(from.keySet());
      all.addAll(to.keySet());
      return all;
    }

    @Override
    public String describe() {
      StringBuilder b = new StringBuilder("offsets");
      for (int p : partitions()) {
        b.append(' ')
            .append(p)
            .append(':')
            .append(from.containsKey(p) ? from.get(p) : "start")
            .append("..")
            .append(to.containsKey(p) ? to.get(p) : "end");
      }
      return b.toString();
    }
  }

  /** Events with these ids (by the event id rule), found by scanning the input topic. */
  record EventIds(Set<String> ids) implements Selection {
    public EventIds {
      ids = Collections.unmodifiableSet(new LinkedHashSet<>(ids));
      if (ids.isEmpty() || ids.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException("--event-id needs a non-empty id");
      }
    }

    @Override
    public String describe() {
      return "event ids " + String.join(", ", ids);
    }
  }

  /**
   * Events whose latest audit record in {@code auditTopic} (an audit topic, or the mispredictions
   * topic), among those with timestamps in {@code window}, says the prediction was wrong ({@code
   * correct == false}); each is read back from the input coordinates its audit record stores.
   */
  record Mispredicted(String auditTopic, TimeRange window) implements Selection {
    @Override
    public String describe() {
      return "mispredicted in "
          + auditTopic
          + (window.equals(TimeRange.all()) ? "" : ", " + window.describe());
    }
  }

  /**
   * An ISO-8601 instant ({@code 2026-11-25T10:00:00Z}), a time with an offset ({@code
   * 2026-11-25T11:00:00+01:00}) or a date (midnight UTC).
   */
  static Instant parseTime(String option, String text) {
    String t = text.trim();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new IllegalArgumentException(
              option
                  + " expects an ISO-8601 time like 2026-11-25T10:00:00Z or a"
                  + " date like 2026-11-25, got '"
                  + text
                  + "'");
        }
      }
    }
  }

  static TimeRange timeRange(String from, String to) {
    return new TimeRange(
        Optional.ofNullable(from).map(f -> parseTime("--from", f)),
        Optional.ofNullable(to).map(t -> parseTime("--to", t)));
  }

  /** {@code P:O[,P:O...]}, e.g. {@code 0:120,1:98}: partition to offset. */
  static SortedMap<Integer, Long> parseOffsets(String option, List<String> texts) {
    SortedMap<Integer, Long> out = new TreeMap<>();
    for (String text : texts) {
      for (String item : text.split(",")) {
        PartitionOffset po = PartitionOffset.parse(option, item);
        if (out.put(po.partition(), po.offset()) != null) {
          throw new IllegalArgumentException(
              option + " names partition " + po.partition() + " twice");
        }
      }
    }
    return out;
  }

  /**
   * The selection the replay options describe: exactly one of a time range, offset ranges or event
   * ids; with {@code mispredictedIn}, a time range or nothing.
   */
  public static Selection of(
      String from,
      String to,
      List<String> fromOffsets,
      List<String> toOffsets,
      List<String> eventIds,
      String mispredictedIn) {
    boolean time = from != null || to != null;
    boolean offsets = !fromOffsets.isEmpty() || !toOffsets.isEmpty();
    boolean ids = !eventIds.isEmpty();
    if (mispredictedIn != null) {
      if (offsets || ids) {
        throw new IllegalArgumentException(
            "--mispredicted-in takes the events its audit records name; combine it"
                + " with --from/--to, not with --from-offsets/--to-offsets or --event-id");
      }
      return new Mispredicted(mispredictedIn, time ? timeRange(from, to) : TimeRange.all());
    }
    int kinds = (time ? 1 : 0) + (offsets ? 1 : 0) + (ids ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalArgumentException(
          (kinds == 0 ? "say which events to replay: " : "choose one selection: ")
              + "--from/--to TIME, --from-offsets/--to-offsets P:O,..., --event-id ID or"
              + " --mispredicted-in TOPIC");
    }
    if (time) {
      return timeRange(from, to);
    }
    if (offsets) {
      return new OffsetRanges(
          parseOffsets("--from-offsets", fromOffsets), parseOffsets("--to-offsets", toOffsets));
    }
    Set<String> all = new LinkedHashSet<>();
    eventIds.forEach(e -> all.addAll(List.of(e.split(","))));
    return new EventIds(
        all.stream().map(String::trim).collect(Collectors.toCollection(LinkedHashSet::new)));
  }
}
