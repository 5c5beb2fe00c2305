package org.vitaudit.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.SaliencyMap;

/**
 * An audit record as stored on an audit topic, or inside a {@link Misprediction} on the
 * mispredictions topic (where its label and {@code correct = false} are set, and the true class's
 * map comes with it).
 */
public record StoredAudit(AuditRecord audit, Optional<Misprediction> misprediction) {

  /** The audit's maps, then the true class's map of a misprediction when the audit lacks it. */
  public List<SaliencyMap> maps() {
    List<SaliencyMap> maps = new ArrayList<>(audit.getMaps());
    misprediction
        .map(Misprediction::getTrueClassMap)
        .filter(t -> maps.stream().noneMatch(m -> m.getClassIndex() == t.getClassIndex()))
        .ifPresent(maps::add);
    return maps;
  }

  /**
   * A class's label as the record names it (a prediction's, or the true class's), else its number.
   */
  public String label(int classIndex) {
    return audit.getPredictions().stream()
        .filter(p -> p.getClassIndex() == classIndex)
        .map(Prediction::getLabel)
        .findFirst()
        .or(
            () ->
                misprediction
                    .filter(m -> m.getTrueClassIndex() == classIndex)
                    .map(Misprediction::getTrueLabel))
        .orElse(String.valueOf(classIndex));
  }
}
