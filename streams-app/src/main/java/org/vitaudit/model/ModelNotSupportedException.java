package org.vitaudit.model;

/**
 * A model the engine cannot serve, with a one-line message naming what was found and the way out.
 * Thrown instead of ever producing a wrong map.
 */
public class ModelNotSupportedException extends RuntimeException {
  public ModelNotSupportedException(String message) {
    super(message);
  }

  public ModelNotSupportedException(String message, Throwable cause) {
    super(message, cause);
  }
}
