package org.vitaudit.stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * {@code input.format=raw}: the value is the image file's bytes; headers {@code event-id} and
 * {@code label} are optional, so producing a file with kcat just works.
 */
public final class RawEventReader implements EventReader<byte[]> {
  @Override
  public Serde<byte[]> serde() {
    return Serdes.ByteArray();
  }

  @Override
  public InputEvent read(Record<byte[], byte[]> record, RecordMetadata where) {
    return new InputEvent(
        eventId(record, where),
        record.timestamp(),
        where.topic(),
        where.partition(),
        where.offset(),
        EventReader.header(record.headers(), LABEL_HEADER).filter(l -> !l.isBlank()),
        record.value() == null ? new byte[0] : record.value());
  }

  @Override
  public String eventId(Record<byte[], byte[]> record, RecordMetadata where) {
    return InputEvent.eventId(
        EventReader.header(record.headers(), EVENT_ID_HEADER).orElse(null),
        record.key(),
        where.topic(),
        where.partition(),
        where.offset());
  }

  @Override
  public byte[] originalValue(byte[] value) {
    return value;
  }
}
