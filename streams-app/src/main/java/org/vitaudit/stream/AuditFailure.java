package org.vitaudit.stream;

import org.vitaudit.dlq.HasDlqReason;

/**
 * An event the application cannot audit. Thrown from the processor, it reaches the processing
 * exception handler, which sends the input to the dead-letter topic under this reason.
 */
public class AuditFailure extends RuntimeException implements HasDlqReason {
  public static final String UNREACHABLE_URI = "unreachable_uri";
  public static final String URI_NOT_ALLOWED = "uri_not_allowed";
  public static final String MODEL_ERROR = "model_error";

  private final String reason;

  public AuditFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public AuditFailure(String reason, String message) {
    this(reason, message, null);
  }

  @Override
  public String dlqReason() {
    return reason;
  }
}
