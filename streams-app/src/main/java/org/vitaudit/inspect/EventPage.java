package org.vitaudit.inspect;

import java.util.List;
import java.util.Locale;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.StageTimings;

/**
 * The HTML page of one audited event: the picture the model saw and an overlay per map side by
 * side, then predictions, label, verdict, model and timings. Self-contained apart from the PNGs
 * beside it: inline style, no scripts, nothing fetched.
 */
public final class EventPage {
  /** An image on the page: its file name (beside the page) and caption. */
  public record Figure(String file, String caption) {}

  private EventPage() {}

  public static String html(
      StoredAudit stored, StoredPosition auditAt, Figure input, List<Figure> maps) {
    AuditRecord a = stored.audit();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc("vit-audit: " + a.getEventId()))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n")
        .append(".figures{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}\n")
        .append("figure{margin:0;text-align:center}\n")
        .append("figure img{height:256px;image-rendering:pixelated;border:1px solid #ccc}\n")
        .append("table{border-collapse:collapse;margin-top:.5em}\n")
        .append("th,td{text-align:left;padding:.2em 1em .2em 0;border-bottom:1px solid #eee}\n")
        .append(".right{color:#1a7f37}.wrong{color:#c62828}.unknown{color:#666}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Event ").append(esc(a.getEventId())).append("</h1>\n");
    h.append("<p class=\"")
        .append(verdictClass(a))
        .append("\">")
        .append(esc(summary(a)))
        .append("</p>\n");
    h.append("<div class=\"figures\">\n");
    figure(h, input);
    maps.forEach(f -> figure(h, f));
    h.append(
        "</div>\n"
            + "<h2>Predictions</h2>\n"
            + "<table>\n"
            + "<tr><th>class</th><th>label</th><th>probability</th></tr>\n");
    for (Prediction p : a.getPredictions()) {
      h.append("<tr><td>")
          .append(p.getClassIndex())
          .append("</td><td>")
          .append(esc(p.getLabel()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.4f", p.getProbability()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Audit</h2>\n<table>\n");
    row(h, "label", a.getKnownLabel() == null ? "none" : a.getKnownLabel());
    row(h, "correct", a.getCorrect() == null ? "unknown" : a.getCorrect() ? "yes" : "no");
    stored
        .misprediction()
        .ifPresent(
            m -> row(h, "true class", m.getTrueLabel() + " (class " + m.getTrueClassIndex() + ")"));
    row(h, "model", a.getModel().getName());
    row(h, "model sha256", a.getModel().getSha256());
    row(
        h,
        "method",
        a.getMethod().getVariant()
            + ", "
            + (a.getMethod().getKeepPrefixTokens() ? "prefix tokens kept" : "prefix tokens zeroed")
            + ", "
            + a.getMethod().getScore()
            + " scores, cut at "
            + a.getMethod().getCutNode()
            + ", residual "
            + a.getMethod().getResidual());
    row(h, "execution provider", a.getExecutionProvider());
    StageTimings t = a.getTimings();
    row(
        h,
        "timings (ms)",
        String.format(
            Locale.ROOT,
            "decode %.2f, G %.2f, H %.2f, total %.2f",
            t.getDecodeMs(),
            t.getGMs(),
            t.getHMs(),
            t.getTotalMs()));
    row(h, "event time", a.getEventTime().toString());
    row(h, "processed", a.getProcessingTime().toString());
    row(
        h,
        "input record",
        a.getInput().getTopic()
            + "-"
            + a.getInput().getPartition()
            + "@"
            + a.getInput().getOffset());
    row(h, "audit record", auditAt.toString());
    if (a.getQuality() != null) {
      row(
          h,
          "quality",
          String.format(
              Locale.ROOT,
              "drop %.3f, increase %.0f, coherency %.3f, complexity %.3f",
              a.getQuality().getDrop(),
              a.getQuality().getIncrease(),
              a.getQuality().getCoherency(),
              a.getQuality().getComplexity()));
    }
    h.append("</table>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String summary(AuditRecord a) {
    String predicted =
        a.getPredictions().isEmpty()
            ? "no prediction"
            : String.format(
                Locale.ROOT,
                "predicted %s (%.3f)",
                a.getPredictions().get(0).getLabel(),
                a.getPredictions().get(0).getProbability());
    return predicted + ", " + AuditLine.verdict(a);
  }

  private static String verdictClass(AuditRecord a) {
    return a.getCorrect() == null ? "unknown" : a.getCorrect() ? "right" : "wrong";
  }

  private static void figure(StringBuilder h, Figure f) {
    h.append("<figure><img src=\"")
        .append(esc(f.file()))
        .append("\" alt=\"")
        .append(esc(f.caption()))
        .append("\"><figcaption>")
        .append(esc(f.caption()))
        .append("</figcaption></figure>\n");
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>")
        .append(esc(name))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  /**
   * Escapes text for HTML content and double-quoted attributes: event ids and labels come from
   * producers.
   */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
