package org.vitaudit.image;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws a saliency map over the picture the model saw: the grid map upsampled bilinearly, coloured
 * with JET, blended half and half with the image. Small inputs (28x28 digits) are enlarged first so
 * a person can see them.
 */
public final class OverlayRenderer {
  static final int MIN_SIDE = 256;

  private OverlayRenderer() {}

  public static BufferedImage render(
      BufferedImage view, float[] map, int gridHeight, int gridWidth) {
    BufferedImage base = enlarge(view);
    int w = base.getWidth();
    int h = base.getHeight();
    float[] up = new Planes(gridWidth, gridHeight, new float[][] {map}).resize(w, h).data()[0];
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int heat = Colormap.jet(up[y * w + x]);
        int pix = base.getRGB(x, y);
        out.setRGB(x, y, blend(pix, heat));
      }
    }
    return out;
  }

  private static int blend(int a, int b) {
    int r = (((a >> 16) & 0xff) + ((b >> 16) & 0xff)) / 2;
    int g = (((a >> 8) & 0xff) + ((b >> 8) & 0xff)) / 2;
    int bl = ((a & 0xff) + (b & 0xff)) / 2;
    return (r << 16) | (g << 8) | bl;
  }

  private static BufferedImage enlarge(BufferedImage view) {
    int shorter = Math.min(view.getWidth(), view.getHeight());
    if (shorter >= MIN_SIDE) {
      return view;
    }
    int factor = (MIN_SIDE + shorter - 1) / shorter;
    BufferedImage big =
        new BufferedImage(
            view.getWidth() * factor, view.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
    var g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(view, 0, 0, big.getWidth(), big.getHeight(), null);
    g.dispose();
    return big;
  }
}
