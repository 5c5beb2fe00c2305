package org.vitaudit.image;

/**
 * Bounds on what a decoder accepts, checked before decoding pixels so that a hostile header (a
 * 100-megapixel PNG of a few bytes) cannot exhaust memory.
 */
public record ImageLimits(long maxBytes, long maxPixels) {
  public static final ImageLimits DEFAULT = new ImageLimits(20L * 1024 * 1024, 40_000_000L);

  public ImageLimits {
    if (maxBytes < 1 || maxPixels < 1) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }
}
