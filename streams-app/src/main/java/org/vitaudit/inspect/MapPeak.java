package org.vitaudit.inspect;

import java.util.Optional;
import org.vitaudit.engine.ClassSaliency;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.stream.AuditRecords;

/**
 * The cell a saliency map scores highest (the first such cell, row-major): where the model looked.
 */
public record MapPeak(int classIndex, int row, int col, float value) {

  public static MapPeak of(SaliencyMap m) {
    float[] values = AuditRecords.values(m);
    int best = ClassSaliency.peakIndex(values);
    return new MapPeak(
        m.getClassIndex(),
        best / m.getWidth(),
        best % m.getWidth(),
        values.length == 0 ? 0f : values[best]);
  }

  /** The peak of the map explaining the top prediction; the first map's when none explains it. */
  public static Optional<MapPeak> ofTopMap(AuditRecord a) {
    if (a.getMaps().isEmpty()) {
      return Optional.empty();
    }
    int top = a.getPredictions().isEmpty() ? -1 : a.getPredictions().get(0).getClassIndex();
    SaliencyMap m =
        a.getMaps().stream()
            .filter(x -> x.getClassIndex() == top)
            .findFirst()
            .orElse(a.getMaps().get(0));
    return Optional.of(of(m));
  }
}
