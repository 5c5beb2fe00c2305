package org.vitaudit.inspect;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.InputCoordinates;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.testing.SampleRecords;

/** Audit records made by hand, with maps whose peaks are known. */
final class InspectTestSupport {
  private InspectTestSupport() {}

  /** A 4x4 map that is 0 everywhere except 255 at (row, col). */
  static SaliencyMap peakAt(int classIndex, int row, int col) {
    byte[] values = new byte[16];
    values[row * 4 + col] = (byte) 255;
    values[(row * 4 + col + 5) % 16] = (byte) 128;
    return SaliencyMap.newBuilder()
        .setClassIndex(classIndex)
        .setHeight(4)
        .setWidth(4)
        .setValues(ByteBuffer.wrap(values))
        .setScoreMin(0f)
        .setScoreMax(1f)
        .build();
  }

  /**
   * An audit record predicting class 3 ("class3", 0.75, map peak (1,2)) then class 1 ("class1",
   * 0.125, map peak (3,0)).
   */
  static AuditRecord audit(
      String eventId,
      String inputTopic,
      int partition,
      long offset,
      String label,
      Boolean correct) {
    return AuditRecord.newBuilder(SampleRecords.audit())
        .setEventId(eventId)
        .setInput(new InputCoordinates(inputTopic, partition, offset))
        .setEventTime(Instant.parse("2026-11-25T10:00:00Z"))
        .setProcessingTime(Instant.parse("2026-11-25T10:00:01Z"))
        .setPredictions(
            List.of(new Prediction(3, "class3", 0.75f), new Prediction(1, "class1", 0.125f)))
        .setKnownLabel(label)
        .setCorrect(correct)
        .setMaps(List.of(peakAt(3, 1, 2), peakAt(1, 3, 0)))
        .build();
  }
}
