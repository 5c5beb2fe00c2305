package org.vitaudit.dashboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last {@code capacity} events, oldest evicted first, findable by sequence number and event id.
 */
final class EventFeed {
  private final int capacity;
  private final LinkedHashMap<Long, FeedEntry> bySeq = new LinkedHashMap<>();
  private final Map<String, Long> seqByEventId = new HashMap<>();
  private long nextSeq = 1;

  EventFeed(int capacity) {
    this.capacity = capacity;
  }

  long nextSeq() {
    return nextSeq++;
  }

  Optional<FeedEntry> byEventId(String eventId) {
    Long seq = seqByEventId.get(eventId);
    return seq == null ? Optional.empty() : Optional.ofNullable(bySeq.get(seq));
  }

  Optional<FeedEntry> bySeq(long seq) {
    return Optional.ofNullable(bySeq.get(seq));
  }

  /** Adds an entry, or replaces the one with its sequence number (a merge keeps its place). */
  void put(FeedEntry e) {
    bySeq.put(e.seq(), e);
    seqByEventId.put(e.eventId(), e.seq());
    while (bySeq.size() > capacity) {
      FeedEntry eldest = bySeq.remove(bySeq.keySet().iterator().next());
      seqByEventId.remove(eldest.eventId(), eldest.seq());
    }
  }

  int size() {
    return bySeq.size();
  }

  /** Newest first. */
  List<FeedEntry> newestFirst() {
    List<FeedEntry> out = new ArrayList<>(bySeq.values());
    Collections.reverse(out);
    return out;
  }
}
