package org.vitaudit.stream;

import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.DlqRecords;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.UnlabelledAudit;

/**
 * What auditing one event came to ({@link EventAuditor}): its audit record, with what a label
 * decides about it where there is more to decide, or a dead letter. The stream routes each part to
 * its topic; replay writes the record or the dead letter.
 */
public sealed interface Outcome {
  String eventId();

  /** An audited event: exactly one audit record per input that is not dead-lettered. */
  sealed interface Recorded extends Outcome {
    AuditRecord record();
  }

  /** The audit record, with nothing (more) for the label join. */
  record Audited(String eventId, AuditRecord record) implements Recorded {}

  /** The label that came with the image says the prediction is wrong: the misprediction too. */
  record Mispredicted(String eventId, AuditRecord record, Misprediction misprediction)
      implements Recorded {}

  /** No label yet: every class's map waits in the label join (keyed by event id) for one. */
  record NeedsLabel(String eventId, AuditRecord record, UnlabelledAudit pending)
      implements Recorded {}

  /**
   * An event that cannot be audited.
   *
   * @param originalValue the input's value as it was on the topic, for the dead-letter record
   */
  record DeadLetter(String eventId, RuntimeException error, DlqReason reason, byte[] originalValue)
      implements Outcome {
    /**
     * The reason the error's cause chain names, else {@link DlqReason#PROCESSING_ERROR}, as the
     * handlers have it.
     */
    public static DeadLetter of(String eventId, RuntimeException error, byte[] originalValue) {
      return new DeadLetter(
          eventId, error, DlqRecords.reason(error, DlqReason.PROCESSING_ERROR), originalValue);
    }
  }
}
