package org.vitaudit.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.HasDlqReason;

/** Bytes that are not a readable Avro single-object record; dead-lettered as {@value #REASON}. */
public final class AvroDecodingException extends SerializationException implements HasDlqReason {

  public static final String REASON = DlqReason.UNREADABLE_AVRO.code();

  AvroDecodingException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String dlqReason() {
    return REASON;
  }
}
