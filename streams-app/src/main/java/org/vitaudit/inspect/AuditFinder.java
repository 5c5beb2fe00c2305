package org.vitaudit.inspect;

import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.PartitionOffset;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.replay.Progress;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.EventReader;

/**
 * Finds an audit record in an audit or mispredictions topic, by the event's id or by its own
 * position.
 */
public final class AuditFinder {
  /**
   * @param matches how many audit records the topic holds for the event (the latest is returned)
   */
  public record Found(StoredAudit stored, StoredPosition at, int matches) {
    public AuditRecord record() {
      return stored.audit();
    }
  }

  private final TopicReader reader;
  private final AuditReader audits;
  private final String topic;

  public AuditFinder(TopicReader reader, AuditReader audits, String topic) {
    this.reader = reader;
    this.audits = audits;
    this.topic = topic;
  }

  /**
   * Scans the whole topic (as stored when the scan starts) for the event's audit records; the
   * {@code event-id} header the application writes spares decoding the others.
   *
   * @throws NoSuchElementException when the topic holds none
   */
  public Found byEventId(String eventId, Progress progress) {
    var ranges = reader.stored(topic);
    Found[] latest = {null};
    int[] matches = {0};
    reader.scan(
        ranges,
        r -> {
          Optional<String> header = EventReader.header(r.headers(), EventReader.EVENT_ID_HEADER);
          if (header.isPresent() && !header.get().equals(eventId)) {
            return;
          }
          StoredAudit a = decodeOrNull(r);
          if (a == null || !a.audit().getEventId().equals(eventId)) {
            return;
          }
          matches[0]++;
          if (latest[0] == null
              || !a.audit().getProcessingTime().isBefore(latest[0].record().getProcessingTime())) {
            latest[0] = new Found(a, position(r), 0);
          }
        },
        progress.begin(
            "searching " + topic, ranges.values().stream().mapToLong(x -> x.size()).sum()));
    if (latest[0] == null) {
      throw new NoSuchElementException(
          "event id "
              + eventId
              + " is not in "
              + topic
              + " (no audit record has it;"
              + " check the id, --audit-topic and --audit-format)");
    }
    return new Found(latest[0].stored(), latest[0].at(), matches[0]);
  }

  /** The audit record at a partition and offset of the topic. */
  public Found at(PartitionOffset where) {
    ConsumerRecord<byte[], byte[]> r =
        reader.fetch(new StoredPosition(topic, where.partition(), where.offset()));
    Optional<StoredAudit> a;
    try {
      a = audits.read(r);
    } catch (SerializationException e) {
      throw new IllegalStateException(
          "the record at "
              + position(r)
              + " is neither an audit record in this"
              + " audit.format nor a misprediction ("
              + e.getMessage()
              + "); try --audit-format",
          e);
    }
    return new Found(
        a.orElseThrow(
            () ->
                new IllegalStateException(
                    "the record at " + position(r) + " is empty (a tombstone)")),
        position(r),
        1);
  }

  private StoredAudit decodeOrNull(ConsumerRecord<byte[], byte[]> r) {
    try {
      return audits.read(r).orElse(null);
    } catch (RuntimeException notAnAudit) {
      return null;
    }
  }

  private static StoredPosition position(ConsumerRecord<?, ?> r) {
    return new StoredPosition(r.topic(), r.partition(), r.offset());
  }
}
