package org.vitaudit.serde;

import org.apache.kafka.common.serialization.Serde;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.AuditRecord;

/** Picks the audit topic's serde from {@code audit.format}. */
public final class AuditSerdes {

  private AuditSerdes() {}

  /**
   * @param format {@value AppConfig#AUDIT_FORMAT_AVRO} or {@value AppConfig#AUDIT_FORMAT_JSON}
   */
  public static Serde<AuditRecord> forFormat(String format) {
    return switch (format) {
      case AppConfig.AUDIT_FORMAT_AVRO -> AvroSingleObjectSerde.forClass(AuditRecord.class);
      case AppConfig.AUDIT_FORMAT_JSON -> AvroJsonSerde.forClass(AuditRecord.class);
      default -> throw new IllegalArgumentException(
          "Unknown audit format '" + format + "', expected one of [avro, json]");
    };
  }
}
