package org.vitaudit.scenes;

/** Packed RGB colours with a chosen luma (Rec. 601 weights), and the arithmetic on them. */
final class Colours {
  private Colours() {}

  static double luma(int rgb) {
    return 0.299 * red(rgb) + 0.587 * green(rgb) + 0.114 * blue(rgb);
  }

  /**
   * A random hue and saturation brought to {@code targetLuma} by mixing with white or black. Mixing
   * is linear in luma, so the result hits the target up to rounding (half a level).
   */
  static int randomWithLuma(SceneRandom r, double targetLuma) {
    double[] c = {r.uniform(0, 256), r.uniform(0, 256), r.uniform(0, 256)};
    double y = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    for (int i = 0; i < 3; i++) {
      if (targetLuma >= y) {
        double k = y >= 255 ? 0 : (targetLuma - y) / (255 - y);
        c[i] = c[i] + (255 - c[i]) * k;
      } else {
        c[i] = c[i] * (targetLuma / y);
      }
    }
    return pack(c[0], c[1], c[2]);
  }

  static int pack(double red, double green, double blue) {
    return (clamp(red) << 16) | (clamp(green) << 8) | clamp(blue);
  }

  static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  static int green(int rgb) {
    return (rgb >> 8) & 0xFF;
  }

  static int blue(int rgb) {
    return rgb & 0xFF;
  }

  /** {@code a + t (b - a)} per channel. */
  static int lerp(int a, int b, double t) {
    return pack(
        red(a) + t * (red(b) - red(a)),
        green(a) + t * (green(b) - green(a)),
        blue(a) + t * (blue(b) - blue(a)));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
