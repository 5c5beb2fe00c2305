package org.vitaudit.image;

import java.awt.image.BufferedImage;

/** Turns a decoded image into the model's input tensor, following a {@link Preprocessing}. */
public final class Preprocessor {
  private final Preprocessing spec;

  public Preprocessor(Preprocessing spec) {
    this.spec = spec;
  }

  public Preprocessing spec() {
    return spec;
  }

  /** The model's input tensor, with the picture it shows and how coordinates map into it. */
  public ModelInput prepare(BufferedImage image) {
    Fitted f = fit(image);
    return new ModelInput(normalise(f.planes()), f.planes().toImage(), f.sx, f.sy, f.ox, f.oy);
  }

  /**
   * The model's input tensor alone, the same as {@code prepare(image).tensor()}: what the stream
   * needs, without drawing the picture only overlays use.
   */
  public float[] tensor(BufferedImage image) {
    return normalise(fit(image).planes());
  }

  /** The image resized and cropped to the model's input, and how its coordinates got there. */
  private record Fitted(Planes planes, double sx, double sy, double ox, double oy) {}

  private Fitted fit(BufferedImage image) {
    Planes p = Planes.of(image, spec.channels());
    double sx = 1;
    double sy = 1;
    int w = p.width();
    int h = p.height();
    if (spec.resizeShorter().isPresent()) {
      double scale = (double) spec.resizeShorter().get() / Math.min(w, h);
      w = Math.max(1, (int) Math.round(p.width() * scale));
      h = Math.max(1, (int) Math.round(p.height() * scale));
      sx = (double) w / p.width();
      sy = (double) h / p.height();
    }
    int cw = spec.crops() ? Math.min(spec.cropWidth(), w) : w;
    int ch = spec.crops() ? Math.min(spec.cropHeight(), h) : h;
    double ox = (w - cw) / 2;
    double oy = (h - ch) / 2;
    if (w != p.width() || h != p.height()) {
      // Only the crop window of the resized image is made: a long thin image (20000x1) resized
      // whole would fill gigabytes.
      p = p.resizedWindow(w, h, (int) ox, (int) oy, cw, ch);
    } else if (cw != w || ch != h) {
      p = p.centreCrop(cw, ch);
    }
    if (p.width() != spec.width() || p.height() != spec.height()) {
      double fx = (double) spec.width() / p.width();
      double fy = (double) spec.height() / p.height();
      sx *= fx;
      sy *= fy;
      ox *= fx;
      oy *= fy;
      p = p.resize(spec.width(), spec.height());
    }
    return new Fitted(p, sx, sy, ox, oy);
  }

  private float[] normalise(Planes p) {
    int hw = p.width() * p.height();
    float[] out = new float[p.data().length * hw];
    for (int c = 0; c < p.data().length; c++) {
      float mean = spec.mean()[c];
      float std = spec.std()[c];
      float[] plane = p.data()[c];
      for (int i = 0; i < hw; i++) {
        out[c * hw + i] = (plane[i] / 255f - mean) / std;
      }
    }
    return out;
  }
}
