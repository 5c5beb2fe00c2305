package org.vitaudit.image;

import java.util.Locale;

/** An image that cannot be used, with a reason a dead-letter queue or a user can act on. */
public class ImageRejectedException extends Exception {
  public enum Reason {
    EMPTY, TOO_LARGE, TOO_MANY_PIXELS, UNSUPPORTED_FORMAT, CORRUPT;

    /** The reason as written in DLQ headers and messages, e.g. {@code too-many-pixels}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
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
