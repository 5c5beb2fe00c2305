package org.vitaudit.stream;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * {@code input.format=avro}: the value is an {@link ImageEvent} carrying the image inline or a URI
 * to fetch it from. An unreadable value never gets here: the deserialization handler dead-letters
 * it.
 */
public final class AvroEventReader implements EventReader<ImageEvent> {
  private final UriFetcher fetcher;
  private final AvroSingleObjectSerde<ImageEvent> serde =
      AvroSingleObjectSerde.forClass(ImageEvent.class);

  public AvroEventReader(UriFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public Serde<ImageEvent> serde() {
    return serde;
  }

  @Override
  public InputEvent read(Record<byte[], ImageEvent> record, RecordMetadata where) {
    ImageEvent e = record.value();
    if (e == null) {
      throw new AuditFailure(DlqReason.EMPTY_IMAGE, "the record has no value (a tombstone)");
    }
    String id = eventId(record, where);
    byte[] image;
    if (e.getImage() instanceof ByteBuffer b) {
      image = new byte[b.remaining()];
      b.duplicate().get(image);
    } else {
      image = fetcher.fetch(String.valueOf(e.getImage()));
    }
    Optional<String> label =
        Optional.ofNullable(e.getLabel())
            .filter(l -> !l.isBlank())
            .or(() -> EventReader.header(record.headers(), LABEL_HEADER));
    return new InputEvent(
        id,
        e.getEventTime().toEpochMilli(),
        where.topic(),
        where.partition(),
        where.offset(),
        label,
        image);
  }

  /** The event's own {@code event_id} first, then the rule's header, key, coordinates. */
  @Override
  public String eventId(Record<byte[], ImageEvent> record, RecordMetadata where) {
    ImageEvent e = record.value();
    String own = e == null ? null : e.getEventId();
    String header = EventReader.header(record.headers(), EVENT_ID_HEADER).orElse(null);
    return InputEvent.eventId(
        own != null && !own.isBlank() ? own : header,
        record.key(),
        where.topic(),
        where.partition(),
        where.offset());
  }

  @Override
  public byte[] originalValue(ImageEvent value) {
    return value == null ? null : serde.serializer().serialize(null, value);
  }
}
