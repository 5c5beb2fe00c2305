package org.vitaudit.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.stream.AvroEventReader;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.InputEvent;
import org.vitaudit.stream.RawEventReader;
import org.vitaudit.stream.UriFetcher;

/**
 * Stored input records read as the stream reads them: the configured {@code input.format}'s
 * deserializer and {@link EventReader}, so event ids, labels and images (URIs fetched under the
 * same rules) come out as they did in the live application.
 */
public final class StoredEvents {
  private final Format<?> format;

  private StoredEvents(Format<?> format) {
    this.format = format;
  }

  public static StoredEvents forConfig(AppConfig config) {
    if (config.getString(AppConfig.INPUT_FORMAT_CONFIG).equals(AppConfig.INPUT_FORMAT_AVRO)) {
      AvroSingleObjectSerde<ImageEvent> serde = AvroSingleObjectSerde.forClass(ImageEvent.class);
      return new StoredEvents(new Format<>(serde.deserializer(),
          new AvroEventReader(UriFetcher.forConfig(config), serde.serializer())));
    }
    return new StoredEvents(new Format<>(new ByteArrayDeserializer(), new RawEventReader()));
  }

  /**
   * The record's event id by the event id rule. Never fails: a value that cannot be deserialized
   * has the id of its {@code event-id} header, key or coordinates, as its dead-letter record would.
   */
  public String eventId(ConsumerRecord<byte[], byte[]> r) {
    try {
      return format.eventId(r);
    } catch (RuntimeException unreadable) {
      var header = EventReader.header(r.headers(), EventReader.EVENT_ID_HEADER).orElse(null);
      return InputEvent.eventId(header, r.key(), r.topic(), r.partition(), r.offset());
    }
  }

  /**
   * The event as the processor sees it.
   *
   * @throws RuntimeException what the stream would dead-letter: an unreadable value
   *     ({@code AvroDecodingException}), a tombstone or an unreachable URI ({@code AuditFailure})
   */
  public InputEvent read(ConsumerRecord<byte[], byte[]> r) {
    return format.read(r);
  }

  /** One input format: its deserializer and reader, typed together. */
  private record Format<V>(Deserializer<V> deserializer, EventReader<V> reader) {
    String eventId(ConsumerRecord<byte[], byte[]> r) {
      return reader.eventId(record(r), where(r));
    }

    InputEvent read(ConsumerRecord<byte[], byte[]> r) {
      return reader.read(record(r), where(r));
    }

    private Record<byte[], V> record(ConsumerRecord<byte[], byte[]> r) {
      Headers headers = new RecordHeaders(r.headers().toArray());
      V value = deserializer.deserialize(r.topic(), headers, r.value());
      return new Record<>(r.key(), value, Math.max(0, r.timestamp()), headers);
    }

    private static RecordMetadata where(ConsumerRecord<byte[], byte[]> r) {
      return new Where(r.topic(), r.partition(), r.offset());
    }
  }

  private record Where(String topic, int partition, long offset) implements RecordMetadata {}
}
