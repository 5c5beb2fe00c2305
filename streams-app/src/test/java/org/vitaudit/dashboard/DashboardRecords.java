package org.vitaudit.dashboard;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.ModelInfo;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.QualityMetrics;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.schemas.SaliencyMethod;
import org.vitaudit.schemas.SaliencyVariant;
import org.vitaudit.schemas.ScoreKind;
import org.vitaudit.schemas.StageTimings;

/**
 * Audit, misprediction and dead-letter records for the dashboard's tests, built from a few numbers.
 */
final class DashboardRecords {
  static final String[] LABELS = {"zero", "one", "two", "three"};
  static final int GRID = 3;

  private DashboardRecords() {}

  static SaliencyMap map(int classIndex, byte[] values) {
    return SaliencyMap.newBuilder()
        .setClassIndex(classIndex)
        .setHeight(GRID)
        .setWidth(GRID)
        .setValues(ByteBuffer.wrap(values))
        .setScoreMin(0f)
        .setScoreMax(1f)
        .build();
  }

  /**
   * @param known the label the event carried, or null
   * @param quality whether the event was sampled for quality metrics
   */
  static AuditRecord audit(
      String id, int predicted, String known, double latencyMs, byte[] map, boolean quality) {
    return AuditRecord.newBuilder()
        .setEventId(id)
        .setInput(
            InputCoordinates.newBuilder()
                .setTopic("images")
                .setPartition(0)
                .setOffset(id.hashCode() & 0xffff)
                .build())
        .setEventTime(Instant.ofEpochMilli(0))
        .setProcessingTime(Instant.ofEpochMilli(0))
        .setModel(
            ModelInfo.newBuilder()
                .setName("tiny-vit")
                .setSha256("0123456789abcdef".repeat(4))
                .build())
        .setMethod(
            SaliencyMethod.newBuilder()
                .setVariant(SaliencyVariant.gaussian)
                .setKeepPrefixTokens(false)
                .setScore(ScoreKind.softmax)
                .setCutNode("ln1")
                .setResidual("masked-features")
                .build())
        .setPredictions(
            List.of(
                Prediction.newBuilder()
                    .setClassIndex(predicted)
                    .setLabel(LABELS[predicted])
                    .setProbability(0.75f)
                    .build()))
        .setKnownLabel(known)
        .setCorrect(known == null ? null : known.equals(LABELS[predicted]))
        .setMaps(List.of(map(predicted, map)))
        .setTimings(
            StageTimings.newBuilder()
                .setDecodeMs(0)
                .setGMs(0)
                .setHMs(0)
                .setTotalMs(latencyMs)
                .build())
        .setExecutionProvider("CPUExecutionProvider")
        .setQuality(
            quality
                ? QualityMetrics.newBuilder()
                    .setDrop(0.5f)
                    .setIncrease(0.25f)
                    .setCoherency(0.75f)
                    .setComplexity(0.125f)
                    .build()
                : null)
        .build();
  }

  static Misprediction misprediction(AuditRecord a, int trueClass) {
    return Misprediction.newBuilder()
        .setAudit(a)
        .setTrueClassIndex(trueClass)
        .setTrueLabel(LABELS[trueClass])
        .setPredictedClassMap(a.getMaps().get(0))
        .setTrueClassMap(map(trueClass, new byte[GRID * GRID]))
        .build();
  }

  static DeadLetter deadLetter(String id, String reason, long timeMillis) {
    return new DeadLetter(
        id,
        reason,
        "org.vitaudit.image.ImageRejectedException",
        "bad bytes",
        "images",
        0,
        7L,
        timeMillis);
  }
}
