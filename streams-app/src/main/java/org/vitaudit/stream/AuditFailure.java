package org.vitaudit.stream;

import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.HasDlqReason;

/**
 * An event the application cannot audit. Thrown from the processor, it reaches the processing
 * exception handler, which sends the input to the dead-letter topic under this reason.
 */
public class AuditFailure extends RuntimeException implements HasDlqReason {
  private final DlqReason reason;

  public AuditFailure(DlqReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public AuditFailure(DlqReason reason, String message) {
    this(reason, message, null);
  }

  @Override
  public DlqReason dlqReason() {
    return reason;
  }
}
