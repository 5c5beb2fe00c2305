package org.vitaudit.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.testing.SampleRecords;

class AvroSingleObjectSerdeTest {

  private final AvroSingleObjectSerde<AuditRecord> audits =
      AvroSingleObjectSerde.forClass(AuditRecord.class);

  @Test
  void roundTripsEveryRecordType() {
    for (AuditRecord r : List.of(SampleRecords.audit(), SampleRecords.auditWithoutLabel())) {
      assertThat(audits.deserializer().deserialize("t", audits.serializer().serialize("t", r)))
          .isEqualTo(r);
    }
    var events = AvroSingleObjectSerde.forClass(ImageEvent.class);
    for (ImageEvent e : List.of(SampleRecords.inlineImage(), SampleRecords.imageByUri())) {
      assertThat(events.decode("t", events.encode(e))).isEqualTo(e);
    }
    var wrong = AvroSingleObjectSerde.forClass(Misprediction.class);
    assertThat(wrong.decode("t", wrong.encode(SampleRecords.misprediction())))
        .isEqualTo(SampleRecords.misprediction());
  }

  /** Records stored before cut_node and residual existed read with those fields' defaults. */
  @Test
  void recordsWrittenWithTheFirstSchemasStillRead() throws IOException {
    AuditRecord now = SampleRecords.audit();
    AuditRecord before = readBack(audits, now, "AuditRecord");
    assertThat(before.getMethod().getCutNode()).isEmpty();
    assertThat(before.getMethod().getResidual()).isEqualTo("masked-features");
    assertThat(AuditRecord.newBuilder(before).setMethod(now.getMethod()).build()).isEqualTo(now);
    var mispredictions = AvroSingleObjectSerde.forClass(Misprediction.class);
    Misprediction old = readBack(mispredictions, SampleRecords.misprediction(), "Misprediction");
    assertThat(old.getAudit().getMethod().getResidual()).isEqualTo("masked-features");
    assertThat(old.getTrueClassMap()).isEqualTo(SampleRecords.misprediction().getTrueClassMap());
  }

  /**
   * Writes {@code record} as a writer that still had version 1 of the schema would have, and reads
   * it back.
   */
  private static <T extends SpecificRecord> T readBack(
      AvroSingleObjectSerde<T> serde, T record, String name) throws IOException {
    Schema v1;
    try (InputStream avsc =
        AvroSingleObjectSerdeTest.class.getResourceAsStream(
            "/schema-history/" + name + ".v1.avsc")) {
      v1 = new Schema.Parser().parse(avsc);
    }
    assertThat(SchemaNormalization.parsingFingerprint64(v1)).isNotEqualTo(serde.fingerprint());
    byte[] body = Arrays.copyOfRange(serde.encode(record), 10, serde.encode(record).length);
    GenericRecord asV1 =
        new GenericDatumReader<GenericRecord>(record.getSchema(), v1)
            .read(null, DecoderFactory.get().binaryDecoder(body, null));
    byte[] v1Bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(asV1).array();
    return serde.decode("t", v1Bytes);
  }

  @Test
  void nullStaysNullForTombstones() {
    assertThat(audits.serializer().serialize("t", null)).isNull();
    assertThat(audits.deserializer().deserialize("t", null)).isNull();
  }

  /** What a consumer in another language does: the spec's header, then plain Avro binary. */
  @Test
  void anyAvroLibraryReadsTheBytesWithOnlyTheAvscFile() throws IOException {
    Schema schema;
    try (InputStream avsc = getClass().getResourceAsStream("/avro/AuditRecord.avsc")) {
      assertThat(avsc).as("AuditRecord.avsc shipped in the schemas jar").isNotNull();
      schema = new Schema.Parser().parse(avsc);
    }
    byte[] bytes = audits.encode(SampleRecords.audit());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));

    GenericRecord r =
        new GenericDatumReader<GenericRecord>(schema, schema, new GenericData())
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(Arrays.copyOfRange(bytes, 10, bytes.length), null));
    assertThat(r.get("event_id")).hasToString("evt-42");
    assertThat(((GenericRecord) r.get("input")).get("offset")).isEqualTo(123_456_789_012L);
    assertThat(r.get("event_time")).isEqualTo(SampleRecords.audit().getEventTime().toEpochMilli());
    GenericRecord map = (GenericRecord) ((List<?>) r.get("maps")).get(0);
    ByteBuffer values = (ByteBuffer) map.get("values");
    assertThat(values.get(5) & 0xFF).isEqualTo(255);
    assertThat(((GenericRecord) r.get("method")).get("variant")).hasToString("gaussian");
  }

  @Test
  void randomBytesAreRejectedWithTheMarkerTheyLack() {
    byte[] garbage = new byte[64];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x42;
    assertThatThrownBy(() -> audits.deserializer().deserialize("audit.saliency", garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("AuditRecord")
        .hasMessageContaining("'audit.saliency'")
        .hasMessageContaining("not Avro single-object encoding")
        .hasMessageContaining("got 42")
        .isInstanceOfSatisfying(
            AvroDecodingException.class,
            e -> assertThat(e.dlqReason().code()).isEqualTo("unreadable_avro"));
  }

  @Test
  void anotherRecordTypeIsRejectedAsUnknownSchema() {
    byte[] event =
        AvroSingleObjectSerde.forClass(ImageEvent.class).encode(SampleRecords.inlineImage());
    assertThatThrownBy(() -> audits.decode("t", event))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema");
  }

  @Test
  void truncatedBodyIsRejected() {
    byte[] bytes = audits.encode(SampleRecords.audit());
    byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> audits.decode("t", cut))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("corrupt or truncated");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> audits.decode("t", longer)).hasMessageContaining("bytes left over");
  }

  /** A forged length must not make the decoder allocate gigabytes. */
  @ParameterizedTest
  @ValueSource(longs = {Integer.MAX_VALUE, 1_000_000_000L, 20_000_000L})
  void forgedLengthBehindAValidHeaderIsRejectedWithoutHugeAllocation(long claimedLength) {
    byte[] header = Arrays.copyOf(audits.encode(SampleRecords.audit()), 10);
    ByteBuffer forged = ByteBuffer.allocate(30).put(header);
    // event_id's length as Avro's zig-zag varint, far more than the bytes that follow.
    for (long z = claimedLength << 1; ; z >>>= 7) {
      if ((z & ~0x7FL) == 0) {
        forged.put((byte) z);
        break;
      }
      forged.put((byte) ((z & 0x7F) | 0x80));
    }
    long before = usedHeap();
    assertThatThrownBy(() -> audits.decode("t", forged.array()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("corrupt or truncated");
    assertThat(usedHeap() - before).as("bytes allocated").isLessThan(10_000_000L);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
