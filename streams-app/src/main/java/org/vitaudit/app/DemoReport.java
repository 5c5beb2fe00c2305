package org.vitaudit.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.vitaudit.evaluation.Box;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.evaluation.PointingGame;
import org.vitaudit.image.OverlayRenderer;
import org.vitaudit.scenes.BoundingBox;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.serde.JsonFields;
import org.vitaudit.stream.AuditRecords;

/**
 * What the demo shows: an overlay per audited event and a summary (counts, accuracy, pointing game
 * against the scenes' known boxes, latency), written to {@code summary.json}.
 */
public record DemoReport(
    int events,
    int audited,
    int dlq,
    Optional<Double> accuracy,
    Optional<Double> pointing,
    double p50Millis,
    double p95Millis) {

  public static DemoReport of(List<DemoEvents.Sent> sent, AuditCollector.Outcomes outcomes) {
    int known = 0;
    int correct = 0;
    int boxed = 0;
    int hits = 0;
    List<Double> latency = new ArrayList<>();
    for (DemoEvents.Sent e : sent) {
      AuditRecord a = outcomes.audited().get(e.eventId());
      if (a == null) {
        continue;
      }
      latency.add(a.getTimings().getTotalMs());
      if (a.getCorrect() != null) {
        known++;
        correct += a.getCorrect() ? 1 : 0;
      }
      if (e.object().isPresent() && !a.getMaps().isEmpty()) {
        SaliencyMap m = a.getMaps().get(0);
        BoundingBox b = e.object().get().box();
        int size = e.scene().orElseThrow().image().getWidth();
        boxed++;
        hits +=
            PointingGame.hit(
                    AuditRecords.values(m),
                    m.getHeight(),
                    m.getWidth(),
                    new Box(b.x0(), b.y0(), b.x1(), b.y1()),
                    e.scene().get().image().getHeight(),
                    size)
                ? 1
                : 0;
      }
    }
    Percentiles p = new Percentiles(latency);
    return new DemoReport(
        sent.size(),
        outcomes.audited().size(),
        outcomes.deadLettered().size(),
        known == 0 ? Optional.empty() : Optional.of(100.0 * correct / known),
        boxed == 0 ? Optional.empty() : Optional.of(100.0 * hits / boxed),
        p.at(50),
        p.at(95));
  }

  /** Writes {@code summary.json} and one overlay PNG per audited event into {@code dir}. */
  public void write(Path dir, List<DemoEvents.Sent> sent, AuditCollector.Outcomes outcomes)
      throws IOException {
    Files.createDirectories(dir);
    for (DemoEvents.Sent e : sent) {
      AuditRecord a = outcomes.audited().get(e.eventId());
      if (a == null || e.scene().isEmpty() || a.getMaps().isEmpty()) {
        continue;
      }
      SaliencyMap m = a.getMaps().get(0);
      String label = a.getPredictions().get(0).getLabel().replaceAll("[^A-Za-z0-9_.-]", "_");
      ImageIO.write(
          OverlayRenderer.render(
              e.scene().get().image(), AuditRecords.values(m), m.getHeight(), m.getWidth()),
          "png",
          dir.resolve(e.eventId() + "_" + label + ".png").toFile());
    }
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("summary.json").toFile(), json());
  }

  public ObjectNode json() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("events", events);
    o.put("audited", audited);
    o.put("dlq", dlq);
    JsonFields.put(o, "accuracy", accuracy);
    JsonFields.put(o, "pointing", pointing);
    o.putObject("latency_ms")
        .put("p50", JsonFields.round(p50Millis, 2))
        .put("p95", JsonFields.round(p95Millis, 2));
    return o;
  }
}
