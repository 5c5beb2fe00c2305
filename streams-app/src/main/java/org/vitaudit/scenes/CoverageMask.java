package org.vitaudit.scenes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Optional;

/**
 * How much of each pixel an object covers, as anti-aliased coverage in 0..255, with faint edge
 * pixels cut to zero. Cutting below {@link #MIN_COVERAGE} means every pixel the mask keeps is drawn
 * visibly (a third of at least {@link LumaBand#MARGIN} luma), so the box computed here is the box
 * of the pixels a viewer, or a test diffing the image, actually sees.
 */
final class CoverageMask {
  static final int MIN_COVERAGE = 96;

  private final int size;
  private final int[] coverage;

  private CoverageMask(int size, int[] coverage) {
    this.size = size;
    this.coverage = coverage;
  }

  /** Rasterises {@code shape} (in pixel coordinates) onto a {@code size x size} grid. */
  static CoverageMask render(Shape shape, int size) {
    BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fill(shape);
    } finally {
      g.dispose();
    }
    // Raster samples, not getRGB: getRGB would pass grey levels through a colour conversion.
    Raster raster = canvas.getRaster();
    int[] coverage = raster.getSamples(0, 0, size, size, 0, new int[size * size]);
    for (int i = 0; i < coverage.length; i++) {
      if (coverage[i] < MIN_COVERAGE) {
        coverage[i] = 0;
      }
    }
    return new CoverageMask(size, coverage);
  }

  /** Coverage of pixel (x, y) in 0..255; 0 means the object does not touch it. */
  int at(int x, int y) {
    return coverage[y * size + x];
  }

  /** The tight inclusive box of the covered pixels, empty when nothing is covered. */
  Optional<BoundingBox> box() {
    int x0 = size;
    int y0 = size;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if (coverage[y * size + x] > 0) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    return x1 < 0 ? Optional.empty() : Optional.of(new BoundingBox(x0, y0, x1, y1));
  }

  /** Blends {@code rgb} over {@code pixels} (row-major, packed RGB) by this mask's coverage. */
  void paint(int[] pixels, int rgb) {
    for (int i = 0; i < coverage.length; i++) {
      if (coverage[i] > 0) {
        pixels[i] = Colours.lerp(pixels[i], rgb, coverage[i] / 255.0);
      }
    }
  }
}
