package org.vitaudit.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for a generated Avro class in Avro's single-object encoding: the marker
 * {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer's schema, then the Avro binary
 * body. Any Avro library that has the {@code .avsc} can decode it without a schema registry.
 *
 * <p>Decoding failures become {@link AvroDecodingException}s (a {@link SerializationException})
 * that say what was wrong with the bytes and carry the DLQ reason {@code unreadable_avro}, so the
 * deserialization exception handler dead-letters them with a useful message.
 */
public final class AvroSingleObjectSerde<T extends SpecificRecord> implements Serde<T> {

  private static final int HEADER_LENGTH = 10;
  private static final byte[] MARKER = {(byte) 0xC3, 0x01};

  private final Class<T> type;
  private final SpecificData model;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final long fingerprint;
  // Readers by writer-schema fingerprint; decoding is ours (not BinaryMessageDecoder's) so that
  // lengths are bounded by the message size, see BoundedDecoder.
  private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSingleObjectSerde(Class<T> type) {
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
    SchemaHistory.of(schema.getName()).forEach(this::alsoReading);
  }

  /** The serde of a class generated from the project's schemas, e.g. {@code AuditRecord.class}. */
  public static <T extends SpecificRecord> AvroSingleObjectSerde<T> forClass(Class<T> type) {
    return new AvroSingleObjectSerde<>(type);
  }

  /**
   * Lets this serde also read records written with an older version of the schema (schema
   * evolution): they are resolved to the current one.
   */
  public AvroSingleObjectSerde<T> alsoReading(Schema olderWriterSchema) {
    readers.put(
        SchemaNormalization.parsingFingerprint64(olderWriterSchema),
        new SpecificDatumReader<>(olderWriterSchema, schema, model));
    return this;
  }

  /** The schema fingerprint every encoded record carries in bytes 2 to 9 (little-endian). */
  public long fingerprint() {
    return fingerprint;
  }

  /** Encodes one record; null stays null (a tombstone). */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one record; null stays null.
   *
   * @throws AvroDecodingException naming the topic and what is wrong with the bytes
   */
  public T decode(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < HEADER_LENGTH || bytes[0] != MARKER[0] || bytes[1] != MARKER[1]) {
      throw failure(
          topic,
          bytes,
          "not Avro single-object encoding (expected marker C3 01, got "
              + hex(bytes, 0, Math.min(2, bytes.length))
              + ")",
          null);
    }
    long writerFingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    DatumReader<T> reader = readers.get(writerFingerprint);
    if (reader == null) {
      throw failure(
          topic,
          bytes,
          "written with an unknown schema (fingerprint "
              + Long.toHexString(writerFingerprint)
              + ", this reader knows "
              + readers.keySet().stream().map(Long::toHexString).toList()
              + ")",
          null);
    }
    int bodyLength = bytes.length - HEADER_LENGTH;
    BoundedDecoder in =
        new BoundedDecoder(
            DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bodyLength, null), bodyLength);
    T record;
    try {
      record = reader.read(null, in);
      if (!in.atEnd()) {
        throw new IOException("bytes left over after the record");
      }
    } catch (IOException | RuntimeException e) {
      // Avro signals bad bodies with many types (EOFException, AvroRuntimeException,
      // IndexOutOfBounds, ClassCast...): all of them mean bad input here.
      throw failure(
          topic,
          bytes,
          "corrupt or truncated Avro body ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          e);
    }
    return record;
  }

  private AvroDecodingException failure(String topic, byte[] bytes, String what, Exception e) {
    return new AvroDecodingException(
        "Cannot decode "
            + type.getSimpleName()
            + (topic == null ? "" : " from topic '" + topic + "'")
            + " ("
            + bytes.length
            + " bytes): "
            + what,
        e);
  }

  private static String hex(byte[] bytes, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < Math.min(to, bytes.length); i++) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02X", bytes[i] & 0xFF));
    }
    return sb.length() == 0 ? "nothing" : sb.toString();
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, data) -> encode(data);
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::decode;
  }
}
