package org.vitaudit.scenes;

/**
 * Paints a scene's background: two base colours from the luma band, mixed by one of several
 * patterns, plus per-pixel noise. Varied backgrounds keep a model from locating objects by a
 * uniform surround; the luma band keeps them from competing with the objects.
 */
final class BackgroundPainter {

  /** The mixing patterns; each maps a pixel to a weight in [0, 1] between the two base colours. */
  enum Pattern {
    NOISE,
    LINEAR_GRADIENT,
    RADIAL_GRADIENT,
    STRIPES,
    CHECKS,
    BLOTCHES
  }

  /** A weight field over the image, t(x, y) in [0, 1]. */
  @FunctionalInterface
  private interface Field {
    double at(int x, int y);
  }

  private BackgroundPainter() {}

  /** Row-major packed RGB pixels, {@code size * size} of them. */
  static int[] paint(SceneRandom r, int size, LumaBand band) {
    int a = Colours.randomWithLuma(r, band.backgroundLuma(r));
    int b = Colours.randomWithLuma(r, band.backgroundLuma(r));
    Pattern pattern = Pattern.values()[r.nextInt(Pattern.values().length)];
    Field field = field(pattern, r, size);
    int noise = r.between(0, LumaBand.NOISE);
    int[] pixels = new int[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int base = Colours.lerp(a, b, field.at(x, y));
        pixels[y * size + x] = addNoise(base, r, noise);
      }
    }
    return pixels;
  }

  private static int addNoise(int rgb, SceneRandom r, int amplitude) {
    if (amplitude == 0) {
      return rgb;
    }
    return Colours.pack(
        Colours.red(rgb) + r.between(-amplitude, amplitude),
        Colours.green(rgb) + r.between(-amplitude, amplitude),
        Colours.blue(rgb) + r.between(-amplitude, amplitude));
  }

  private static Field field(Pattern pattern, SceneRandom r, int size) {
    return switch (pattern) {
      case NOISE -> noiseField(r, size);
      case LINEAR_GRADIENT -> linearGradient(r, size);
      case RADIAL_GRADIENT -> radialGradient(r, size);
      case STRIPES -> stripes(r, size);
      case CHECKS -> checks(r, size);
      case BLOTCHES -> blotches(r, size);
    };
  }

  // Independent weights per pixel: coarse, colourful speckle within the band.
  private static Field noiseField(SceneRandom r, int size) {
    double[] t = new double[size * size];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextDouble();
    }
    return (x, y) -> t[y * size + x];
  }

  private static Field linearGradient(SceneRandom r, int size) {
    double angle = r.uniform(0, 2 * Math.PI);
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    // Projections of the corners span [min, max]; normalise to [0, 1] across the image.
    double half = (size - 1) / 2.0;
    double reach = half * (Math.abs(dx) + Math.abs(dy));
    return (x, y) -> ((x - half) * dx + (y - half) * dy + reach) / (2 * reach);
  }

  private static Field radialGradient(SceneRandom r, int size) {
    double cx = r.uniform(0, size);
    double cy = r.uniform(0, size);
    double radius = r.uniform(0.5, 1.5) * size;
    return (x, y) -> Math.min(1, Math.hypot(x - cx, y - cy) / radius);
  }

  private static Field stripes(SceneRandom r, int size) {
    double angle = r.uniform(0, Math.PI);
    double period = r.uniform(3, size / 4.0);
    double phase = r.uniform(0, 1);
    boolean hard = r.nextBoolean();
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    return (x, y) -> {
      double s = Math.sin(2 * Math.PI * ((x * dx + y * dy) / period + phase));
      return hard ? (s > 0 ? 1 : 0) : 0.5 + 0.5 * s;
    };
  }

  private static Field checks(SceneRandom r, int size) {
    double cell = r.uniform(3, size / 5.0);
    double angle = r.uniform(0, Math.PI / 2);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    return (x, y) -> {
      long u = (long) Math.floor((x * cos + y * sin) / cell);
      long v = (long) Math.floor((-x * sin + y * cos) / cell);
      return ((u + v) & 1) == 0 ? 0 : 1;
    };
  }

  // Value noise: random weights on a coarse lattice, bilinearly interpolated into soft blotches.
  private static Field blotches(SceneRandom r, int size) {
    int cells = r.between(2, 6);
    double[][] lattice = new double[cells + 1][cells + 1];
    for (double[] row : lattice) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextDouble();
      }
    }
    double step = (double) size / cells;
    return (x, y) -> {
      double gx = x / step;
      double gy = y / step;
      int i = Math.min((int) gx, cells - 1);
      int j = Math.min((int) gy, cells - 1);
      double fx = gx - i;
      double fy = gy - j;
      double top = lattice[j][i] * (1 - fx) + lattice[j][i + 1] * fx;
      double bottom = lattice[j + 1][i] * (1 - fx) + lattice[j + 1][i + 1] * fx;
      return top * (1 - fy) + bottom * fy;
    };
  }
}
