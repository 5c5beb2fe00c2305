package org.vitaudit.inspect;

import java.util.Locale;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Prediction;

/**
 * One audit record as one line for a person following the audit topic, e.g. {@code evt-42 circle
 * 0.912 label square ✗ peak (3,4)}.
 */
public final class AuditLine {
  private AuditLine() {}

  public static String of(AuditRecord a) {
    StringBuilder b = new StringBuilder(a.getEventId()).append("  ");
    if (a.getPredictions().isEmpty()) {
      b.append("no prediction");
    } else {
      Prediction top = a.getPredictions().get(0);
      b.append(top.getLabel()).append(String.format(Locale.ROOT, " %.3f", top.getProbability()));
    }
    b.append("  ").append(verdict(a)).append("  ");
    b.append(
        MapPeak.ofTopMap(a).map(p -> "peak (" + p.row() + "," + p.col() + ")").orElse("no map"));
    return b.toString();
  }

  /**
   * The label and whether the top prediction matches it: ✓, ✗, or ? for a label the model does not
   * know.
   */
  static String verdict(AuditRecord a) {
    if (a.getKnownLabel() == null) {
      return "no label";
    }
    String mark = a.getCorrect() == null ? "?" : a.getCorrect() ? "✓" : "✗";
    return "label " + a.getKnownLabel() + " " + mark;
  }
}
