package org.vitaudit.replay;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.DlqRecords;
import org.vitaudit.engine.Explanation;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.AuditFailure;
import org.vitaudit.stream.AuditRecords;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.Auditor;
import org.vitaudit.stream.InputEvent;

/**
 * Audits one stored input record with the stream's own parts (reader, {@link Auditor},
 * {@link AuditRecords}) and the same failure reasons as the stream's dead-letter records.
 */
public final class StoredEventAuditor {
  /** Reason of a failure no exception names, as the stream's processing handler has it. */
  static final DlqReason DEFAULT_REASON = DlqReason.PROCESSING_ERROR;

  /** What became of one record: an audit record or a failure for the dead-letter topic. */
  public sealed interface Outcome {
    String eventId();
  }

  public record Audited(String eventId, AuditRecord record) implements Outcome {}

  public record Failed(String eventId, RuntimeException error, DlqReason reason) implements Outcome {}

  private final Auditor auditor;
  private final EventReader<?> events;

  public StoredEventAuditor(Auditor auditor, EventReader<?> events) {
    this.auditor = auditor;
    this.events = events;
  }

  /**
   * @param knownLabel the event's label where it did not come with the image (a label joined later,
   *     taken from its misprediction record), so the new record is judged against it too
   */
  public Outcome audit(ConsumerRecord<byte[], byte[]> r, Optional<String> knownLabel) {
    long start = System.nanoTime();
    try {
      InputEvent stored = events.readStored(r);
      InputEvent event = stored.label().isPresent() || knownLabel.isEmpty() ? stored
          : new InputEvent(stored.eventId(), stored.eventTime(), stored.topic(), stored.partition(), stored.offset(),
              knownLabel, stored.image());
      Auditor.Prepared image;
      try {
        image = auditor.prepare(event.image());
      } catch (ImageRejectedException e) {
        throw new AuditFailure(DlqReason.of(e.reason()), e.getMessage(), e);
      }
      Explanation e;
      try {
        e = auditor.explain(List.of(image)).get(0);
      } catch (RuntimeException modelFailure) {
        throw new AuditFailure(DlqReason.MODEL_ERROR, "the model failed: " + modelFailure.getMessage(),
            modelFailure);
      }
      var quality = auditor.sampleQuality(event.eventId(), image, e);
      return new Audited(event.eventId(), AuditRecords.of(event, e, auditor.facts(), auditor.request(),
          image.decodeMillis(), (System.nanoTime() - start) / 1e6, quality));
    } catch (RuntimeException failure) {
      return new Failed(events.storedEventId(r), failure, DlqRecords.reason(failure, DEFAULT_REASON));
    }
  }
}
