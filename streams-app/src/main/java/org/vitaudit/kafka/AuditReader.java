package org.vitaudit.kafka;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * Reads the records of an audit topic ({@code AuditRecord} in {@code audit.format}) and of the
 * mispredictions topic ({@code Misprediction}, Avro), so every tool takes either.
 */
public final class AuditReader {
  private final Deserializer<AuditRecord> audits;
  private final Deserializer<Misprediction> mispredictions =
      AvroSingleObjectSerde.forClass(Misprediction.class).deserializer();

  public AuditReader(Deserializer<AuditRecord> audits) {
    this.audits = audits;
  }

  public static AuditReader forConfig(AppConfig config) {
    return new AuditReader(AuditSerdes.configured(config).deserializer());
  }

  /**
   * @return empty for a tombstone
   * @throws SerializationException when the value is neither record (names the audit format's
   *     problem)
   */
  public Optional<StoredAudit> read(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new StoredAudit(audits.deserialize(r.topic(), r.headers(), r.value()), Optional.empty()));
    } catch (SerializationException notAnAudit) {
      try {
        Misprediction m = mispredictions.deserialize(r.topic(), r.headers(), r.value());
        return Optional.of(new StoredAudit(m.getAudit(), Optional.of(m)));
      } catch (SerializationException notAMisprediction) {
        throw notAnAudit;
      }
    }
  }
}
