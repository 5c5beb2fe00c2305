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

  public ModelInput prepare(BufferedImage image) {
    Planes p = Planes.of(image, spec.channels());
    double sx = 1;
    double sy = 1;
    double ox = 0;
    double oy = 0;
    if (spec.resizeShorter().isPresent()) {
      int target = spec.resizeShorter().get();
      double scale = (double) target / Math.min(p.width(), p.height());
      int w = Math.max(1, (int) Math.round(p.width() * scale));
      int h = Math.max(1, (int) Math.round(p.height() * scale));
      sx = (double) w / p.width();
      sy = (double) h / p.height();
      p = p.resize(w, h);
    }
    if (spec.crops()) {
      int cw = Math.min(spec.cropWidth(), p.width());
      int ch = Math.min(spec.cropHeight(), p.height());
      ox = (p.width() - cw) / 2;
      oy = (p.height() - ch) / 2;
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
    return new ModelInput(normalise(p), p.toImage(), sx, sy, ox, oy);
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
