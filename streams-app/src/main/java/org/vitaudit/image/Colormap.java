package org.vitaudit.image;

/** The JET colour map: blue for 0 through cyan, yellow, to red for 1. */
public final class Colormap {
  private Colormap() {}

  /** RGB packed as 0xRRGGBB for a value in [0, 1]. */
  public static int jet(double v) {
    double x = Math.max(0, Math.min(1, v));
    int r = channel(1.5 - Math.abs(4 * x - 3));
    int g = channel(1.5 - Math.abs(4 * x - 2));
    int b = channel(1.5 - Math.abs(4 * x - 1));
    return (r << 16) | (g << 8) | b;
  }

  private static int channel(double v) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }
}
