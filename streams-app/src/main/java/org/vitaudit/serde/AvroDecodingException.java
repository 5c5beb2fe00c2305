package org.vitaudit.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.HasDlqReason;

/**
 * Bytes that are not a readable Avro single-object record; dead-lettered as {@code
 * unreadable_avro}.
 */
public final class AvroDecodingException extends SerializationException implements HasDlqReason {

  AvroDecodingException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public DlqReason dlqReason() {
    return DlqReason.UNREADABLE_AVRO;
  }
}
