package org.vitaudit.engine;

import org.vitaudit.choice.Choice;

/** How each masked copy weights the patch tokens around its centre cell. */
public enum MaskKernel implements Choice {
  /** 3x3 Gaussian around the centre cell; cells off the grid are dropped, no renormalisation. */
  GAUSSIAN(
      new float[][] {
        {1f / 16, 1f / 8, 1f / 16}, {1f / 8, 1f / 4, 1f / 8}, {1f / 16, 1f / 8, 1f / 16}
      }),
  /** Only the centre cell, with weight 1. */
  DIRAC(new float[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}});

  private final float[][] weights;

  MaskKernel(float[][] weights) {
    this.weights = weights;
  }

  /** Weight of the cell at offset (di, dj) from the centre, each in -1..1. */
  public float weight(int di, int dj) {
    return weights[di + 1][dj + 1];
  }
}
