package org.vitaudit.image;

/** An image that cannot be used, with a reason a dead-letter queue or a user can act on. */
public class ImageRejectedException extends Exception {
  public enum Reason {
    EMPTY("empty_image"),
    TOO_LARGE("image_too_large"),
    TOO_MANY_PIXELS("too_many_pixels"),
    UNSUPPORTED_FORMAT("unsupported_format"),
    CORRUPT("corrupt_image");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** The reason as dead-letter headers and metrics name it, e.g. {@code too_many_pixels}. */
    public String code() {
      return code;
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
