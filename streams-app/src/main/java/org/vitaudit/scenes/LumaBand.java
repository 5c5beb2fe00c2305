package org.vitaudit.scenes;

/**
 * The contrast rule that keeps objects readable: every backdrop colour (background and clutter)
 * lies in one luma band, and every object colour lies at least {@link #MARGIN} luma away from it. A
 * drawn object pixel therefore always differs from what was under it, which is also what makes an
 * object's bounding box observable from the pixels alone.
 */
final class LumaBand {
  /** Spread of the backdrop's base colours. */
  static final int WIDTH = 60;

  /** Largest per-channel noise added to the background; it can move a pixel's luma this far. */
  static final int NOISE = 10;

  /** Least luma distance between an object colour and anything in the backdrop. */
  static final int MARGIN = 45;

  private final int low;

  LumaBand(int low) {
    if (low < 0 || low + WIDTH > 255) {
      throw new IllegalArgumentException("band must lie in 0..255, low=" + low);
    }
    this.low = low;
  }

  static LumaBand random(SceneRandom r) {
    return new LumaBand(r.between(0, 255 - WIDTH));
  }

  /** A luma for a background base colour. */
  double backgroundLuma(SceneRandom r) {
    return r.uniform(low, low + WIDTH);
  }

  /** A luma for clutter: anywhere the noisy background can reach, so clutter is no brighter. */
  double clutterLuma(SceneRandom r) {
    return r.uniform(low - NOISE, low + WIDTH + NOISE);
  }

  /** Lowest and highest luma anything in the backdrop can have. */
  int backdropMin() {
    return low - NOISE;
  }

  int backdropMax() {
    return low + WIDTH + NOISE;
  }

  /**
   * A luma for an object: uniform over what lies at least MARGIN beyond the backdrop's reach on
   * either side. The band is at most 80 wide and the margins 90, so 85 lumas always remain.
   */
  double objectLuma(SceneRandom r) {
    double darkTop = backdropMin() - MARGIN; // [0, darkTop] is allowed when darkTop >= 0
    double lightBottom = backdropMax() + MARGIN; // [lightBottom, 255] likewise
    double dark = Math.max(0, darkTop);
    double light = Math.max(0, 255 - lightBottom);
    double u = r.uniform(0, dark + light);
    return u < dark ? u : lightBottom + (u - dark);
  }
}
