package org.vitaudit.engine;

import org.vitaudit.model.TokenLayout;

/**
 * H's scores for every masked copy and every class, [N, C] row-major: enough to draw the map of any
 * class later without running the model again.
 */
public record CopyScores(int copies, int classes, double[] values) {

  /**
   * Scores from H's logits, as softmax probabilities (computed in double) or the logits themselves.
   */
  public static CopyScores fromLogits(float[] logits, int copies, ScoreMode mode) {
    int classes = logits.length / copies;
    double[] v = new double[logits.length];
    for (int n = 0; n < copies; n++) {
      if (mode == ScoreMode.SOFTMAX) {
        double[] p = Softmax.of(logits, n * classes, classes);
        System.arraycopy(p, 0, v, n * classes, classes);
      } else {
        for (int c = 0; c < classes; c++) {
          v[n * classes + c] = logits[n * classes + c];
        }
      }
    }
    return new CopyScores(copies, classes, v);
  }

  public double get(int copy, int classIndex) {
    return values[copy * classes + classIndex];
  }

  /**
   * The map of one class: min-max over the copies, reshaped to the grid; all zeros where the scores
   * do not vary (never NaN).
   */
  public ClassSaliency mapFor(int classIndex, TokenLayout layout) {
    if (classIndex < 0 || classIndex >= classes) {
      throw new IllegalArgumentException(
          "class "
              + classIndex
              + " is out of range: the model has "
              + classes
              + " classes (0.."
              + (classes - 1)
              + ")");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int n = 0; n < copies; n++) {
      double y = get(n, classIndex);
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
    float[] map = new float[copies];
    double range = max - min;
    if (range > 0) {
      for (int n = 0; n < copies; n++) {
        map[n] = (float) ((get(n, classIndex) - min) / range);
      }
    }
    return new ClassSaliency(classIndex, layout.gridHeight(), layout.gridWidth(), map, min, max);
  }
}
