package org.vitaudit.serde;

import org.apache.kafka.common.serialization.Serde;
import org.vitaudit.choice.Choice;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;

/** {@code audit.format}: how audit records are written on the audit topic. */
public enum AuditFormat implements Choice {
  /** Avro single-object encoding: compact, any Avro library with the schema reads it. */
  AVRO,
  /** The record as JSON text, for kcat and humans. */
  JSON;

  /** The configured format. */
  public static AuditFormat of(AppConfig config) {
    return Choices.parse(AuditFormat.class, AppConfig.AUDIT_FORMAT_CONFIG,
        config.getString(AppConfig.AUDIT_FORMAT_CONFIG));
  }

  public Serde<AuditRecord> serde() {
    return switch (this) {
      case AVRO -> AvroSingleObjectSerde.forClass(AuditRecord.class);
      case JSON -> AvroJsonSerde.forClass(AuditRecord.class);
    };
  }
}
