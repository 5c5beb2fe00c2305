package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.OutcomeLedger.Entry;

/**
 * Judges what a read_committed reader saw after a run against what was sent: one outcome per input
 * (the right kind: corrupt ones dead-lettered), one misprediction per audit the label contradicts,
 * and each key's outputs in the order its inputs were sent. Where the guarantee allows duplicates
 * it counts them instead, and still fails on anything lost.
 */
final class OutcomeJudge {
  /** What was counted, for the report. */
  record Counts(
      int outcomes,
      int duplicateOutcomes,
      int mispredictions,
      int duplicateMispredictions,
      int orderBreaks) {}

  private final ScaleOutEvents events;
  private final Deserializer<AuditRecord> audits;
  private final String auditTopic;
  private final String dlqTopic;
  private final String mispredictionTopic;

  OutcomeJudge(
      ScaleOutEvents events,
      Deserializer<AuditRecord> audits,
      String auditTopic,
      String dlqTopic,
      String mispredictionTopic) {
    this.events = events;
    this.audits = audits;
    this.auditTopic = auditTopic;
    this.dlqTopic = dlqTopic;
    this.mispredictionTopic = mispredictionTopic;
  }

  /**
   * @param exactlyOnce whether duplicates fail the run (exactly-once) or are only counted
   */
  Counts judge(List<Entry> out, boolean exactlyOnce) {
    Map<String, ScaleOutEvents.Event> byId =
        events.events().stream().collect(Collectors.toMap(ScaleOutEvents.Event::id, e -> e));
    Map<String, List<Entry>> outcomes = group(out, Set.of(auditTopic, dlqTopic));
    Map<String, List<Entry>> wrong = group(out, Set.of(mispredictionTopic));
    assertThat(outcomes.keySet()).as("inputs with an outcome").isEqualTo(byId.keySet());
    assertThat(wrong.keySet()).as("mispredictions are of inputs sent").isSubsetOf(byId.keySet());
    int duplicates = 0;
    Set<String> contradicted = new HashSet<>();
    for (var e : outcomes.entrySet()) {
      ScaleOutEvents.Event sent = byId.get(e.getKey());
      List<Entry> seen = e.getValue();
      duplicates += seen.size() - 1;
      if (exactlyOnce) {
        assertThat(seen).as("outcomes of %s", e.getKey()).hasSize(1);
      }
      for (Entry s : seen) {
        assertThat(s.topic())
            .as("where %s ended", e.getKey())
            .isEqualTo(sent.corrupt() ? dlqTopic : auditTopic);
        if (!sent.corrupt()) {
          AuditRecord r = audits.deserialize(auditTopic, s.value());
          assertThat(r.getEventId()).isEqualTo(sent.id());
          if (sent.label().isPresent() && Boolean.FALSE.equals(r.getCorrect())) {
            contradicted.add(sent.id());
          }
        }
      }
    }
    // Every wrongly labelled input audits as wrong: an independent check of the flag itself.
    events.events().stream()
        .filter(e -> !e.corrupt() && e.wrongLabel())
        .forEach(e -> assertThat(contradicted).as("wrong label of %s", e.id()).contains(e.id()));
    assertThat(wrong.keySet()).as("mispredictions").isEqualTo(contradicted);
    int duplicateWrong = wrong.values().stream().mapToInt(l -> l.size() - 1).sum();
    if (exactlyOnce) {
      assertThat(duplicateWrong).as("mispredictions published twice").isZero();
    }
    int breaks = orderBreaks(out, byId, auditTopic) + orderBreaks(out, byId, dlqTopic);
    if (exactlyOnce) {
      assertThat(breaks).as("outputs out of their key's input order").isZero();
    }
    return new Counts(outcomes.size(), duplicates, wrong.size(), duplicateWrong, breaks);
  }

  private static Map<String, List<Entry>> group(List<Entry> out, Set<String> topics) {
    Map<String, List<Entry>> m = new HashMap<>();
    out.stream()
        .filter(e -> topics.contains(e.topic()))
        .forEach(e -> m.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e));
    return m;
  }

  /**
   * Per key, in the order a reader of the key's partition sees them, how often an output's input
   * came before the previous output's.
   */
  private static int orderBreaks(
      List<Entry> out, Map<String, ScaleOutEvents.Event> byId, String topic) {
    Map<String, List<Entry>> byKey = new HashMap<>();
    out.stream()
        .filter(e -> e.topic().equals(topic))
        .sorted(Comparator.comparingInt(Entry::partition).thenComparingLong(Entry::offset))
        .forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
    int breaks = 0;
    for (List<Entry> l : byKey.values()) {
      for (int i = 1; i < l.size(); i++) {
        if (byId.get(l.get(i).eventId()).sequence() < byId.get(l.get(i - 1).eventId()).sequence()) {
          breaks++;
        }
      }
    }
    return breaks;
  }
}
