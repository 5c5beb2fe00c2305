package org.vitaudit.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} writing a generated Avro class as dashboard-friendly JSON ({@link
 * AvroJson}).
 */
public final class AvroJsonSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;

  private AvroJsonSerde(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecord> AvroJsonSerde<T> forClass(Class<T> type) {
    return new AvroJsonSerde<>(type);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, data) -> data == null ? null : AvroJson.toBytes(data);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return AvroJson.fromBytes(bytes, type);
      } catch (SerializationException e) {
        throw new SerializationException("From topic '" + topic + "': " + e.getMessage(), e);
      }
    };
  }
}
