package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads an input record of one format into an {@link InputEvent}, and gives back the value's
 * bytes for a dead-letter record.
 */
public interface EventReader<V> {
  String EVENT_ID_HEADER = "event-id";
  String LABEL_HEADER = "label";

  InputEvent read(Record<byte[], V> record, RecordMetadata where);

  /**
   * The record's event id by the event id rule, without fetching or decoding the image: what
   * {@link #read} puts in the event, for tools that look events up by id.
   */
  String eventId(Record<byte[], V> record, RecordMetadata where);

  /** The value as it was on the input topic. */
  byte[] originalValue(V value);

  /** The last value of a header as UTF-8 text, if present. */
  static Optional<String> header(Headers headers, String name) {
    Header h = headers == null ? null : headers.lastHeader(name);
    return h == null || h.value() == null ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }
}
