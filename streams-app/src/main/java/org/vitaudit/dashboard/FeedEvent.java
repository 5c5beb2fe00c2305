package org.vitaudit.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.SaliencyMap;

/**
 * One line of the live feed as the API gives it.
 *
 * @param kind {@code audit} or {@code dead_letter}
 * @param correct false for a misprediction (by the audit's label or a later one), null when
 *     unlabelled
 * @param mapClasses class indices of the maps the record holds (their overlays are {@code
 *     /api/events/{seq}/image.png?class=N})
 */
public record FeedEvent(
    long seq,
    String kind,
    String eventId,
    long timeMillis,
    String predictedLabel,
    Integer predictedClass,
    Double probability,
    String trueLabel,
    Boolean correct,
    Double latencyMs,
    String dlqReason,
    String dlqMessage,
    boolean hasImage,
    List<Integer> mapClasses) {

  static final String AUDIT = "audit";
  static final String DEAD_LETTER = "dead_letter";

  static FeedEvent of(FeedEntry e) {
    if (e.deadLetter() != null) {
      DeadLetter d = e.deadLetter();
      return new FeedEvent(
          e.seq(),
          DEAD_LETTER,
          d.eventId(),
          e.timeMillis(),
          null,
          null,
          null,
          null,
          null,
          null,
          d.reason(),
          d.message(),
          false,
          List.of());
    }
    AuditRecord a = e.audit();
    Prediction top = a.getPredictions().isEmpty() ? null : a.getPredictions().get(0);
    String trueLabel =
        e.misprediction() != null ? e.misprediction().getTrueLabel() : a.getKnownLabel();
    Boolean correct = e.misprediction() != null ? Boolean.FALSE : a.getCorrect();
    List<Integer> classes =
        new ArrayList<>(a.getMaps().stream().map(SaliencyMap::getClassIndex).toList());
    if (e.misprediction() != null && !classes.contains(e.misprediction().getTrueClassIndex())) {
      classes.add(e.misprediction().getTrueClassIndex());
    }
    return new FeedEvent(
        e.seq(),
        AUDIT,
        a.getEventId(),
        e.timeMillis(),
        top == null ? null : top.getLabel(),
        top == null ? null : top.getClassIndex(),
        top == null ? null : (double) top.getProbability(),
        trueLabel,
        correct,
        a.getTimings().getTotalMs(),
        null,
        null,
        true,
        List.copyOf(classes));
  }

  /** Whether the feed's filters keep this event; a null or blank filter keeps everything. */
  boolean matches(String label, boolean wrongOnly, String reason) {
    if (label != null
        && !label.isBlank()
        && !label.equals(predictedLabel)
        && !label.equals(trueLabel)) {
      return false;
    }
    if (wrongOnly && !Boolean.FALSE.equals(correct)) {
      return false;
    }
    return reason == null || reason.isBlank() || reason.equals(dlqReason);
  }
}
