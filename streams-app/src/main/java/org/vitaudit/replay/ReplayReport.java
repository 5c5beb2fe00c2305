package org.vitaudit.replay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.Outcome;

/**
 * What a replay did: events, audit and dead-letter records written, accuracy where labels are
 * known, and, when the events were picked by earlier audit records, how the new outcome compares.
 */
public final class ReplayReport {
  private final String outputTopic;
  private final Set<String> wantedIds;
  private int events;
  private int audited;
  private int labelled;
  private int correct;
  private final Map<String, Integer> dlqReasons = new TreeMap<>();
  private final Set<String> seenIds = new TreeSet<>();
  private final List<String> gone = new ArrayList<>();
  private int compared;
  private int nowRight;
  private int stillWrong;
  private int changedTop;
  private final Set<String> previousModels = new LinkedHashSet<>();

  public ReplayReport(String outputTopic, Set<String> wantedIds) {
    this.outputTopic = outputTopic;
    this.wantedIds = wantedIds;
  }

  void add(Outcome outcome, Optional<AuditRecord> before) {
    events++;
    seenIds.add(outcome.eventId());
    Optional<AuditRecord> now = Optional.empty();
    if (outcome instanceof Outcome.Recorded a) {
      audited++;
      now = Optional.of(a.record());
      if (a.record().getCorrect() != null) {
        labelled++;
        correct += a.record().getCorrect() ? 1 : 0;
      }
    } else {
      dlqReasons.merge(((Outcome.DeadLetter) outcome).reason().code(), 1, Integer::sum);
    }
    if (before.isPresent()) {
      AuditRecord b = before.get();
      compared++;
      previousModels.add(b.getModel().getName() + " " + shortSha(b.getModel().getSha256()));
      if (now.isPresent()) {
        nowRight += Boolean.TRUE.equals(now.get().getCorrect()) ? 1 : 0;
        stillWrong += Boolean.FALSE.equals(now.get().getCorrect()) ? 1 : 0;
        changedTop += top(now.get()) != top(b) ? 1 : 0;
      }
    }
  }

  /** A selected position whose record is no longer stored. */
  void gone(StoredPosition at, String why) {
    gone.add(at + " (" + why + ")");
  }

  public int events() {
    return events;
  }

  public int audited() {
    return audited;
  }

  public int deadLettered() {
    return dlqReasons.values().stream().mapToInt(Integer::intValue).sum();
  }

  public Optional<Double> accuracy() {
    return labelled == 0 ? Optional.empty() : Optional.of(100.0 * correct / labelled);
  }

  public int nowRight() {
    return nowRight;
  }

  public int stillWrong() {
    return stillWrong;
  }

  public Set<String> notFound() {
    Set<String> missing = new TreeSet<>(wantedIds);
    missing.removeAll(seenIds);
    return missing;
  }

  public List<String> gone() {
    return List.copyOf(gone);
  }

  /** The summary, a few lines for a person. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "%d %s: %d audited -> %s, %d dead-lettered -> %s%s",
            events,
            events == 1 ? "event" : "events",
            audited,
            outputTopic,
            deadLettered(),
            ReplayOutput.dlqTopic(outputTopic),
            dlqReasons.isEmpty() ? "" : " " + dlqReasons));
    out.add(
        accuracy()
            .map(
                a ->
                    String.format(
                        Locale.ROOT,
                        "accuracy %.1f %% (%d of %d with a known label)",
                        a,
                        correct,
                        labelled))
            .orElse("accuracy n/a (no event with a known label)"));
    if (compared > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "compared with the earlier audits (%s): %d of %d now right, %d still wrong"
                  + "%s, top class changed for %d",
              String.join(", ", previousModels),
              nowRight,
              compared,
              stillWrong,
              compared - nowRight - stillWrong > 0
                  ? ", " + (compared - nowRight - stillWrong) + " without a verdict"
                  : "",
              changedTop));
    }
    if (!notFound().isEmpty()) {
      out.add("not found: " + String.join(", ", notFound()));
    }
    if (!gone.isEmpty()) {
      out.add(gone.size() + " selected events are no longer stored: " + String.join("; ", gone));
    }
    return out;
  }

  private static int top(AuditRecord a) {
    return a.getPredictions().isEmpty() ? -1 : a.getPredictions().get(0).getClassIndex();
  }

  static String shortSha(String sha) {
    return sha.length() > 8 ? sha.substring(0, 8) : sha;
  }
}
