package org.vitaudit.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
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

/** Fully populated records with awkward values (bytes above 127, nulls, unions) for serde tests. */
public final class SampleRecords {

  private SampleRecords() {}

  /** A 2x3 map whose bytes include 0, 128 and 255, which a signed-byte bug would turn negative. */
  public static SaliencyMap map(int classIndex) {
    return SaliencyMap.newBuilder()
        .setClassIndex(classIndex)
        .setHeight(2)
        .setWidth(3)
        .setValues(ByteBuffer.wrap(new byte[] {0, 1, 127, (byte) 128, (byte) 200, (byte) 255}))
        .setScoreMin(-0.25f)
        .setScoreMax(0.75f)
        .build();
  }

  public static AuditRecord audit() {
    return AuditRecord.newBuilder()
        .setEventId("evt-42")
        .setInput(
            InputCoordinates.newBuilder()
                .setTopic("images")
                .setPartition(3)
                .setOffset(123_456_789_012L)
                .build())
        .setEventTime(Instant.parse("2026-11-25T10:00:00.123Z"))
        .setProcessingTime(Instant.parse("2026-11-25T10:00:01.456Z"))
        .setModel(ModelInfo.newBuilder().setName("mnist-vit").setSha256("ab".repeat(32)).build())
        .setMethod(
            SaliencyMethod.newBuilder()
                .setVariant(SaliencyVariant.gaussian)
                .setKeepPrefixTokens(true)
                .setScore(ScoreKind.softmax)
                .setCutNode("/blocks/blocks.1/norm1/LayerNormalization")
                .setResidual("masked-features")
                .build())
        .setPredictions(
            List.of(
                Prediction.newBuilder()
                    .setClassIndex(7)
                    .setLabel("seven")
                    .setProbability(0.875f)
                    .build(),
                Prediction.newBuilder()
                    .setClassIndex(1)
                    .setLabel("one")
                    .setProbability(0.0625f)
                    .build()))
        .setKnownLabel("seven")
        .setCorrect(true)
        .setMaps(List.of(map(7)))
        .setTimings(
            StageTimings.newBuilder()
                .setDecodeMs(0.5)
                .setGMs(3.25)
                .setHMs(12.0)
                .setTotalMs(16.0)
                .build())
        .setExecutionProvider("CPUExecutionProvider")
        .setQuality(
            QualityMetrics.newBuilder()
                .setDrop(0.5f)
                .setIncrease(0.25f)
                .setCoherency(0.125f)
                .setComplexity(0.0625f)
                .build())
        .build();
  }

  /** An audit record without label and quality: the nullable fields left null. */
  public static AuditRecord auditWithoutLabel() {
    return AuditRecord.newBuilder(audit())
        .setKnownLabel(null)
        .setCorrect(null)
        .setQuality(null)
        .build();
  }

  public static ImageEvent inlineImage() {
    return ImageEvent.newBuilder()
        .setEventId("img-1")
        .setEventTime(Instant.parse("2026-11-25T09:59:59Z"))
        .setSource("camera-7")
        .setContentType("image/png")
        .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF}))
        .setLabel("7")
        .setMetadata(Map.of("site", "lab", "shift", "night"))
        .build();
  }

  public static ImageEvent imageByUri() {
    return ImageEvent.newBuilder(inlineImage())
        .setImage("https://images.example.invalid/7.png")
        .setSource(null)
        .setContentType(null)
        .setLabel(null)
        .setMetadata(Map.of())
        .build();
  }

  public static Misprediction misprediction() {
    return Misprediction.newBuilder()
        .setAudit(AuditRecord.newBuilder(audit()).setKnownLabel("one").setCorrect(false).build())
        .setTrueClassIndex(1)
        .setTrueLabel("one")
        .setPredictedClassMap(map(7))
        .setTrueClassMap(map(1))
        .build();
  }
}
