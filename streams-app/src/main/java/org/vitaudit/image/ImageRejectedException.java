package org.vitaudit.image;

/**
 * An image that cannot be used, with a reason a dead-letter queue or a user can act on (the
 * dead-letter topic's name for each is {@code dlq.DlqReason}'s).
 */
public class ImageRejectedException extends Exception {
  public enum Reason {
    EMPTY,
    TOO_LARGE,
    TOO_MANY_PIXELS,
    UNSUPPORTED_FORMAT,
    CORRUPT
  }

  private final Reason reason;

  public ImageRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
