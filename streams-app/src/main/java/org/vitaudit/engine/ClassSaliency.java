package org.vitaudit.engine;

/**
 * One class's saliency over the patch grid: values in [0, 1], row-major {@code height x width},
 * with the raw score range they were normalised from.
 */
public record ClassSaliency(
    int classIndex, int height, int width, float[] values, double scoreMin, double scoreMax) {

  public float at(int row, int col) {
    return values[row * width + col];
  }

  /** The cell with the highest value (the first one on ties), as {row, col}. */
  public int[] peak() {
    int best = peakIndex(values);
    return new int[] {best / width, best % width};
  }

  /**
   * Where a row-major map is highest, the first such cell on ties: the one rule every reader of a
   * map (pointing game, tail, render) uses for "where the model looked".
   */
  public static int peakIndex(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
