package org.vitaudit.engine;

import org.vitaudit.model.TokenLayout;

/**
 * Which masks H applies: the kernel, and whether prefix tokens stay unscaled (default) or are
 * zeroed in every copy.
 */
public record MaskSpec(MaskKernel kernel, boolean keepPrefix) {
  public static final MaskSpec DEFAULT = new MaskSpec(MaskKernel.GAUSSIAN, true);

  /**
   * The N x T weights, row-major: copy k (centred on grid cell k) scales each token. Cells outside
   * the grid are dropped and nothing is renormalised, so a corner copy's weights sum to 9/16.
   */
  public float[] weights(TokenLayout layout) {
    int n = layout.cells();
    int t = layout.tokens();
    float[] w = new float[n * t];
    for (int k = 0; k < n; k++) {
      int ci = k / layout.gridWidth();
      int cj = k % layout.gridWidth();
      for (int p = 0; p < layout.prefix(); p++) {
        w[k * t + p] = keepPrefix ? 1f : 0f;
      }
      for (int di = -1; di <= 1; di++) {
        for (int dj = -1; dj <= 1; dj++) {
          int a = ci + di;
          int b = cj + dj;
          if (a >= 0 && a < layout.gridHeight() && b >= 0 && b < layout.gridWidth()) {
            w[k * t + layout.prefix() + a * layout.gridWidth() + b] = kernel.weight(di, dj);
          }
        }
      }
    }
    return w;
  }

  public String variantName() {
    return kernel.cliName() + (keepPrefix ? "" : "-noprefix");
  }
}
