package org.vitaudit.stream;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.vitaudit.engine.ClassSaliency;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.evaluation.ImageQuality;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.ModelInfo;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.QualityMetrics;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.schemas.SaliencyMethod;
import org.vitaudit.schemas.SaliencyVariant;
import org.vitaudit.schemas.ScoreKind;
import org.vitaudit.schemas.StageTimings;

/** Turns an explained event into the {@code AuditRecord} the audit topic carries. */
public final class AuditRecords {
  private AuditRecords() {}

  /**
   * @param gMillis this event's share of the batched G run
   * @param totalMillis from the processor's first look at the event to its record
   */
  public static AuditRecord of(
      InputEvent event,
      Explanation e,
      ModelFacts facts,
      ExplainRequest request,
      double decodeMillis,
      double totalMillis,
      Optional<ImageQuality> quality) {
    Optional<Integer> known = event.label().flatMap(l -> classOf(facts, l));
    return AuditRecord.newBuilder()
        .setEventId(event.eventId())
        .setInput(new InputCoordinates(event.topic(), event.partition(), event.offset()))
        .setEventTime(Instant.ofEpochMilli(event.eventTime()))
        .setProcessingTime(Instant.now())
        .setModel(new ModelInfo(facts.name(), facts.sha256()))
        .setMethod(
            new SaliencyMethod(
                request.masks().kernel() == MaskKernel.GAUSSIAN
                    ? SaliencyVariant.gaussian
                    : SaliencyVariant.dirac,
                request.masks().keepPrefix(),
                request.score() == ScoreMode.SOFTMAX ? ScoreKind.softmax : ScoreKind.logits,
                facts.cutNode(),
                facts.residual().cliName()))
        .setPredictions(
            e.predictions().stream()
                .map(p -> new Prediction(p.classIndex(), p.label(), (float) p.probability()))
                .toList())
        .setKnownLabel(event.label().orElse(null))
        .setCorrect(known.map(c -> c == e.top().classIndex()).orElse(null))
        .setMaps(e.maps().stream().map(AuditRecords::map).toList())
        .setTimings(new StageTimings(decodeMillis, e.gMillis(), e.hMillis(), totalMillis))
        .setExecutionProvider(facts.provider())
        .setQuality(
            quality
                .map(
                    q ->
                        new QualityMetrics(
                            (float) q.drop(),
                            q.increase() ? 1f : 0f,
                            (float) q.coherency(),
                            (float) q.complexity()))
                .orElse(null))
        .build();
  }

  /** A map as the records carry it: values 0-255 row-major, with the raw score range. */
  public static SaliencyMap map(ClassSaliency m) {
    byte[] bytes = new byte[m.values().length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Math.round(Math.max(0f, Math.min(1f, m.values()[i])) * 255f);
    }
    return new SaliencyMap(
        m.classIndex(),
        m.height(),
        m.width(),
        ByteBuffer.wrap(bytes),
        (float) m.scoreMin(),
        (float) m.scoreMax());
  }

  /** The class a label names (a label of the model or a class number), if it names one. */
  public static Optional<Integer> classOf(ModelFacts facts, String label) {
    try {
      return Optional.of(facts.classOf(label));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Values 0-255 of a record's map back as floats in [0, 1]. */
  public static float[] values(SaliencyMap m) {
    ByteBuffer b = m.getValues().duplicate();
    float[] out = new float[b.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (b.get() & 0xff) / 255f;
    }
    return out;
  }
}
