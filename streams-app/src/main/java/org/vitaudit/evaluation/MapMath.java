package org.vitaudit.evaluation;

import org.vitaudit.image.Planes;

/** Operations on saliency maps shared by the metrics. */
public final class MapMath {
  private MapMath() {}

  /** Min-max to [0, 1]; all zeros where constant. */
  public static float[] minMax(float[] v) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    float[] out = new float[v.length];
    if (max > min) {
      for (int i = 0; i < v.length; i++) {
        out[i] = (v[i] - min) / (max - min);
      }
    }
    return out;
  }

  /** Bilinear upsampling of a grid map to the model's input size (half-pixel centres). */
  public static float[] upsample(
      float[] map, int gridHeight, int gridWidth, int height, int width) {
    return new Planes(gridWidth, gridHeight, new float[][] {map}).resize(width, height).data()[0];
  }

  /** The input tensor (C planes of H x W) multiplied by the map, every channel alike. */
  public static float[] mask(float[] input, float[] upsampled) {
    int hw = upsampled.length;
    float[] out = new float[input.length];
    for (int i = 0; i < input.length; i++) {
      out[i] = input[i] * upsampled[i % hw];
    }
    return out;
  }

  /** Pearson's correlation; NaN where either side is constant. */
  public static double pearson(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return cov / Math.sqrt(va * vb);
  }

  public static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The share of the map's total inside the box (inclusive pixel corners, in input geometry). */
  public static double energyInside(float[] upsampled, int height, int width, Box box) {
    double inside = 0;
    double total = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double v = upsampled[y * width + x];
        total += v;
        if (x >= box.x0() && x <= box.x1() && y >= box.y0() && y <= box.y1()) {
          inside += v;
        }
      }
    }
    return total > 0 ? inside / total : 0;
  }
}
