package org.vitaudit.dlq;

import java.util.Locale;
import org.vitaudit.image.ImageRejectedException;

/**
 * Every reason an input goes to the dead-letter topic, in one place: each becomes the {@value
 * DlqHeaders#REASON} header and the {@code reason} label of the DLQ counter, so the set is small
 * and fixed, never free text.
 */
public enum DlqReason {
  EMPTY_IMAGE,
  IMAGE_TOO_LARGE,
  TOO_MANY_PIXELS,
  UNSUPPORTED_FORMAT,
  CORRUPT_IMAGE,
  /** An image event whose URI cannot be read. */
  UNREACHABLE_URI,
  /**
   * An image event whose URI the rules refuse: a file outside {@code uri.file.allowed.dirs} (links
   * resolved), an http(s) host not in {@code uri.http.allowed.hosts}, a private address, a redirect
   * that breaks those rules or too many redirects, or another scheme.
   */
  URI_NOT_ALLOWED,
  /** A label record with no event id, or naming no class of the model. */
  UNKNOWN_LABEL,
  /** ONNX Runtime failed on the image. */
  MODEL_ERROR,
  /** A record value that is not the Avro the input format expects. */
  UNREADABLE_AVRO,
  /** A record Kafka Streams could not deserialise, with no more precise reason. */
  UNDECODABLE_RECORD,
  /** Anything else that failed while processing a record. */
  PROCESSING_ERROR;

  /** The reason as headers and metrics name it: {@code too_many_pixels}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Why an image was rejected, as the dead-letter topic names it. */
  public static DlqReason of(ImageRejectedException.Reason reason) {
    return switch (reason) {
      case EMPTY -> EMPTY_IMAGE;
      case TOO_LARGE -> IMAGE_TOO_LARGE;
      case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
      case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
      case CORRUPT -> CORRUPT_IMAGE;
    };
  }
}
