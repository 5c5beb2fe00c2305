package org.vitaudit.evaluation;

import java.util.List;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.TokenLayout;

/**
 * Attention rollout (Abnar and Zuidema, 2020), the class-agnostic baseline: each block's
 * head-averaged attention plus the identity for the residual, rows renormalised, multiplied through
 * the blocks; the map is the first prefix token's row over the patch tokens (the mean row where
 * there is no prefix token).
 */
public final class RolloutMethod implements SaliencyMethod {
  private final SaliencyEngine engine;
  private AttentionMapReader attention;

  public RolloutMethod(SaliencyEngine engine) {
    this.engine = engine;
  }

  /** Opened on first use, as a method listed but never run needs no session. */
  private synchronized AttentionMapReader attention() {
    if (attention == null) {
      attention = new AttentionMapReader(engine);
    }
    return attention;
  }

  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public Output explain(float[] input, int classIndex) {
    TokenLayout layout = engine.facts().layout();
    float[] map = rollout(attention().read(input), layout);
    return new Output(
        map, layout.gridHeight(), layout.gridWidth(), engine.probabilities(input)[classIndex]);
  }

  static float[] rollout(List<float[]> attentions, TokenLayout layout) {
    int t = layout.tokens();
    double[] r = identity(t);
    for (float[] a : attentions) {
      double[] step = new double[t * t];
      for (int i = 0; i < t; i++) {
        double sum = 0;
        for (int j = 0; j < t; j++) {
          step[i * t + j] = 0.5 * a[i * t + j] + (i == j ? 0.5 : 0);
          sum += step[i * t + j];
        }
        for (int j = 0; j < t; j++) {
          step[i * t + j] /= sum;
        }
      }
      r = multiply(step, r, t);
    }
    float[] map = new float[layout.cells()];
    for (int c = 0; c < layout.cells(); c++) {
      int col = layout.prefix() + c;
      if (layout.prefix() > 0) {
        map[c] = (float) r[col];
      } else {
        double s = 0;
        for (int i = 0; i < t; i++) {
          s += r[i * t + col];
        }
        map[c] = (float) (s / t);
      }
    }
    return MapMath.minMax(map);
  }

  private static double[] identity(int t) {
    double[] m = new double[t * t];
    for (int i = 0; i < t; i++) {
      m[i * t + i] = 1;
    }
    return m;
  }

  private static double[] multiply(double[] a, double[] b, int t) {
    double[] out = new double[t * t];
    for (int i = 0; i < t; i++) {
      for (int k = 0; k < t; k++) {
        double aik = a[i * t + k];
        if (aik != 0) {
          for (int j = 0; j < t; j++) {
            out[i * t + j] += aik * b[k * t + j];
          }
        }
      }
    }
    return out;
  }
}
