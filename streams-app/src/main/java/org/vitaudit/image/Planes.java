package org.vitaudit.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;

/**
 * An image as float planes (one per channel, values 0-255, row-major), with bilinear resizing and
 * cropping.
 */
public record Planes(int width, int height, float[][] data) {

  /**
   * Reads an image's pixels. Grayscale rasters are read as raw samples: {@code getRGB} would pass
   * them through a gamma conversion (199 reads as 229).
   */
  public static Planes of(BufferedImage image, Preprocessing.Channels channels) {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    boolean grayRaster =
        raster.getNumBands() == 1
            && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    float maxSample = (1 << image.getColorModel().getComponentSize(0)) - 1f;
    float[][] out = new float[channels.count()][w * h];
    if (grayRaster) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = raster.getSampleFloat(x, y, 0) * 255f / maxSample;
          for (float[] plane : out) {
            plane[y * w + x] = v;
          }
        }
      }
      return new Planes(w, h, out);
    }
    RowReader rows = RowReader.of(image);
    int[] rgb = new int[w];
    for (int y = 0; y < h; y++) {
      rows.read(y, rgb);
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float r = (rgb[x] >> 16) & 0xff;
        float g = (rgb[x] >> 8) & 0xff;
        float b = rgb[x] & 0xff;
        if (channels == Preprocessing.Channels.GRAY) {
          out[0][i] = 0.299f * r + 0.587f * g + 0.114f * b;
        } else {
          out[0][i] = r;
          out[1][i] = g;
          out[2][i] = b;
        }
      }
    }
    return new Planes(w, h, out);
  }

  /**
   * Reads one row of pixels as {@link BufferedImage#getRGB(int, int)} gives them (0xRRGGBB, alpha
   * ignored). Where the image stores 8-bit sRGB samples without premultiplied alpha (what PNG, JPEG
   * and BMP decode to, and the usual in-memory types), getRGB's colour conversion is the identity,
   * so the samples are read straight from the raster, many times faster; any other image goes
   * through getRGB.
   */
  private interface RowReader {
    void read(int y, int[] rgb);

    static RowReader of(BufferedImage image) {
      int w = image.getWidth();
      if (!plainSrgb8(image.getColorModel())) {
        return (y, rgb) -> image.getRGB(0, y, w, 1, rgb, 0, w);
      }
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      int[] samples = new int[w * bands];
      return (y, rgb) -> {
        raster.getPixels(0, y, w, 1, samples);
        for (int x = 0; x < w; x++) {
          int s = x * bands;
          rgb[x] = (samples[s] << 16) | (samples[s + 1] << 8) | samples[s + 2];
        }
      };
    }

    /** Three 8-bit sRGB colour samples per pixel (plus alpha, not premultiplied), one per band. */
    private static boolean plainSrgb8(ColorModel cm) {
      if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
          || !cm.getColorSpace().isCS_sRGB()
          || cm.isAlphaPremultiplied()
          || cm.getNumColorComponents() != 3) {
        return false;
      }
      for (int size : cm.getComponentSize()) {
        if (size != 8) {
          return false;
        }
      }
      return true;
    }
  }

  /** Bilinear resampling with half-pixel centres (what align_corners=False means). */
  public Planes resize(int newWidth, int newHeight) {
    if (newWidth == width && newHeight == height) {
      return this;
    }
    return resizedWindow(newWidth, newHeight, 0, 0, newWidth, newHeight);
  }

  /**
   * The {@code w x h} window at ({@code left}, {@code top}) of this image resized to {@code
   * newWidth x newHeight}, without making the whole resized image: what {@code resize(newWidth,
   * newHeight)} then a crop would give, in memory and time of the window only (resizing a 20000x1
   * image's shorter side to 256 would otherwise fill gigabytes).
   */
  public Planes resizedWindow(int newWidth, int newHeight, int left, int top, int w, int h) {
    float[][] out = new float[data.length][w * h];
    double sx = (double) width / newWidth;
    double sy = (double) height / newHeight;
    // Each column's source columns and weight, worked out once rather than once per row.
    int[] x0s = new int[w];
    int[] x1s = new int[w];
    double[] wxs = new double[w];
    for (int x = 0; x < w; x++) {
      double fx = Math.max(0, Math.min(width - 1, (x + left + 0.5) * sx - 0.5));
      x0s[x] = (int) fx;
      x1s[x] = Math.min(x0s[x] + 1, width - 1);
      wxs[x] = fx - x0s[x];
    }
    for (int y = 0; y < h; y++) {
      double fy = Math.max(0, Math.min(height - 1, (y + top + 0.5) * sy - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(y0 + 1, height - 1);
      double wy = fy - y0;
      for (int c = 0; c < data.length; c++) {
        float[] p = data[c];
        float[] o = out[c];
        for (int x = 0; x < w; x++) {
          double wx = wxs[x];
          double top0 = p[y0 * width + x0s[x]] * (1 - wx) + p[y0 * width + x1s[x]] * wx;
          double bottom = p[y1 * width + x0s[x]] * (1 - wx) + p[y1 * width + x1s[x]] * wx;
          o[y * w + x] = (float) (top0 * (1 - wy) + bottom * wy);
        }
      }
    }
    return new Planes(w, h, out);
  }

  /** The centred {@code w x h} window; pads nothing, so a crop larger than the image is refused. */
  public Planes centreCrop(int w, int h) {
    if (w > width || h > height) {
      throw new IllegalArgumentException(
          "cannot crop "
              + w
              + "x"
              + h
              + " from a "
              + width
              + "x"
              + height
              + " image; resize first");
    }
    int left = (width - w) / 2;
    int top = (height - h) / 2;
    float[][] out = new float[data.length][w * h];
    for (int c = 0; c < data.length; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(data[c], (y + top) * width + left, out[c], y * w, w);
      }
    }
    return new Planes(w, h, out);
  }

  /** An RGB picture of these planes (gray repeated), for overlays. */
  public BufferedImage toImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < width * height; i++) {
      int r = clamp(data[0][i]);
      int g = clamp(data[data.length > 1 ? 1 : 0][i]);
      int b = clamp(data[data.length > 2 ? 2 : 0][i]);
      img.setRGB(i % width, i / width, (r << 16) | (g << 8) | b);
    }
    return img;
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }
}
