package org.vitaudit.serde;

import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.vitaudit.choice.Choices;
import org.vitaudit.schemas.AuditRecord;

/** The audit topic's serde by the name of its {@link AuditFormat}. */
public final class AuditSerdes {

  private AuditSerdes() {}

  /** @param format a name of {@link AuditFormat}: {@code avro} or {@code json} */
  public static Serde<AuditRecord> forFormat(String format) {
    return Arrays.stream(AuditFormat.values()).filter(f -> f.cliName().equals(format)).findFirst()
        .map(AuditFormat::serde)
        .orElseThrow(() -> new IllegalArgumentException(
            "Unknown audit format '" + format + "', expected one of " + Choices.names(AuditFormat.class)));
  }
}
