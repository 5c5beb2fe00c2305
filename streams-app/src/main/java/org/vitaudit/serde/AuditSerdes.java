package org.vitaudit.serde;

import org.apache.kafka.common.serialization.Serde;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.AuditFormat;
import org.vitaudit.schemas.AuditRecord;

/** The audit topic's serde for each {@link AuditFormat}. */
public final class AuditSerdes {

  private AuditSerdes() {}

  public static Serde<AuditRecord> forFormat(AuditFormat format) {
    return switch (format) {
      case AVRO -> AvroSingleObjectSerde.forClass(AuditRecord.class);
      case JSON -> AvroJsonSerde.forClass(AuditRecord.class);
    };
  }

  /**
   * @param format a name of an {@link AuditFormat}: {@code avro} or {@code json}
   */
  public static Serde<AuditRecord> forFormat(String format) {
    return forFormat(Choices.parse(AuditFormat.class, AppConfig.AUDIT_FORMAT_CONFIG, format));
  }

  /** The serde of the configured {@code audit.format}. */
  public static Serde<AuditRecord> configured(AppConfig config) {
    return forFormat(config.getChoice(AppConfig.AUDIT_FORMAT_CONFIG, AuditFormat.class));
  }
}
