package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads an input record of one {@link InputFormat} into an {@link InputEvent}, and gives back the
 * value's bytes for a dead-letter record. The topology consumes the input with {@link #serde()};
 * tools that read stored records (replay, render) use {@link #readStored} and {@link
 * #storedEventId}, which deserialize with the same serde, so both see the same events.
 */
public interface EventReader<V> {
  String EVENT_ID_HEADER = "event-id";
  String LABEL_HEADER = "label";

  /** The serde of the input topic's values. */
  Serde<V> serde();

  InputEvent read(Record<byte[], V> record, RecordMetadata where);

  /**
   * The record's event id by the event id rule, without fetching or decoding the image: what {@link
   * #read} puts in the event, for tools that look events up by id.
   */
  String eventId(Record<byte[], V> record, RecordMetadata where);

  /** The value as it was on the input topic. */
  byte[] originalValue(V value);

  /**
   * A stored record's event as the processor sees it.
   *
   * @throws RuntimeException what the stream would dead-letter: an unreadable value ({@code
   *     AvroDecodingException}), a tombstone or an unreachable URI ({@code AuditFailure})
   */
  default InputEvent readStored(ConsumerRecord<byte[], byte[]> r) {
    return read(deserialized(r), Coordinates.of(r));
  }

  /**
   * A stored record's event id by the event id rule. Never fails: a value that cannot be
   * deserialized has the id of its {@code event-id} header, key or coordinates, as its dead-letter
   * record would.
   */
  default String storedEventId(ConsumerRecord<byte[], byte[]> r) {
    try {
      return eventId(deserialized(r), Coordinates.of(r));
    } catch (RuntimeException unreadable) {
      String header = header(r.headers(), EVENT_ID_HEADER).orElse(null);
      return InputEvent.eventId(header, r.key(), r.topic(), r.partition(), r.offset());
    }
  }

  private Record<byte[], V> deserialized(ConsumerRecord<byte[], byte[]> r) {
    Headers headers = new RecordHeaders(r.headers().toArray());
    V value = serde().deserializer().deserialize(r.topic(), headers, r.value());
    return new Record<>(r.key(), value, Math.max(0, r.timestamp()), headers);
  }

  /** The last value of a header as UTF-8 text, if present. */
  static Optional<String> header(Headers headers, String name) {
    Header h = headers == null ? null : headers.lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** Where a stored record was read from, as the processor's record metadata gives it. */
  record Coordinates(String topic, int partition, long offset) implements RecordMetadata {
    static Coordinates of(ConsumerRecord<?, ?> r) {
      return new Coordinates(r.topic(), r.partition(), r.offset());
    }
  }
}
