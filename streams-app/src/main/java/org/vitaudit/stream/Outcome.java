package org.vitaudit.stream;

import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.UnlabelledAudit;

/** What the audit processor says about an input; the topology routes each kind to its topic. */
public sealed interface Outcome {
  /** The audit record of an input (exactly one per input, or a {@link DeadLetter}). */
  record Audited(AuditRecord record) implements Outcome {}

  /** An input that failed inside a micro-batch: its original value (headers carry the error). */
  record DeadLetter(byte[] originalValue) implements Outcome {}

  /** A wrong prediction whose label came with the image. */
  record Mispredicted(Misprediction record) implements Outcome {}

  /** An audited event without a label yet, for the label join (keyed by event id). */
  record NeedsLabel(String eventId, UnlabelledAudit pending) implements Outcome {}
}
