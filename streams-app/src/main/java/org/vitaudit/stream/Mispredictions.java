package org.vitaudit.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.schemas.UnlabelledAudit;

/** Builds misprediction records: the audit, the true class, and the maps of both classes. */
public final class Mispredictions {
  private Mispredictions() {}

  /** Every class's map of one explanation, in class order, for a label that may come later. */
  public static UnlabelledAudit pending(
      byte[] key, AuditRecord audit, Explanation e, ModelFacts facts) {
    List<SaliencyMap> maps = new ArrayList<>(facts.classes());
    for (int c = 0; c < facts.classes(); c++) {
      maps.add(AuditRecords.map(e.scores().mapFor(c, facts.layout())));
    }
    return new UnlabelledAudit(key == null ? null : ByteBuffer.wrap(key), audit, maps);
  }

  /**
   * The misprediction record where a late label shows the prediction wrong; empty where it was
   * right or the label names no class of the model.
   */
  public static Optional<Misprediction> judge(
      UnlabelledAudit pending, String label, ModelFacts facts) {
    return judge(pending.getAudit(), label, facts, c -> pending.getClassMaps().get(c));
  }

  /** As above for a label that came with the image: only the two maps it needs are drawn. */
  public static Optional<Misprediction> judge(
      AuditRecord audit, Explanation e, String label, ModelFacts facts) {
    return judge(audit, label, facts, c -> AuditRecords.map(e.scores().mapFor(c, facts.layout())));
  }

  private static Optional<Misprediction> judge(
      AuditRecord audit, String label, ModelFacts facts, IntFunction<SaliencyMap> mapOf) {
    Optional<Integer> truth = AuditRecords.classOf(facts, label);
    int predicted = audit.getPredictions().get(0).getClassIndex();
    if (truth.isEmpty() || truth.get() == predicted) {
      return Optional.empty();
    }
    AuditRecord labelled =
        AuditRecord.newBuilder(audit).setKnownLabel(label).setCorrect(false).build();
    return Optional.of(
        new Misprediction(
            labelled,
            truth.get(),
            facts.label(truth.get()),
            mapOf.apply(predicted),
            mapOf.apply(truth.get())));
  }
}
