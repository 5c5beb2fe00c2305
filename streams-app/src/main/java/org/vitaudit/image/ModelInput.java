package org.vitaudit.image;

import java.awt.image.BufferedImage;

/**
 * One preprocessed image: the CHW tensor the model reads, the picture it corresponds to (after
 * resize and crop), and how original pixel coordinates map into it.
 *
 * @param tensor C x H x W floats, normalised
 * @param view the resized and cropped picture, in model input geometry
 * @param scaleX original x times scaleX minus offsetX gives the model-input x
 */
public record ModelInput(
    float[] tensor,
    BufferedImage view,
    double scaleX,
    double scaleY,
    double offsetX,
    double offsetY) {

  /** Maps a box given in original image pixels (inclusive corners) into model-input pixels. */
  public double[] mapBox(double x0, double y0, double x1, double y1) {
    return new double[] {
      x0 * scaleX - offsetX,
      y0 * scaleY - offsetY,
      (x1 + 1) * scaleX - offsetX - 1,
      (y1 + 1) * scaleY - offsetY - 1
    };
  }
}
