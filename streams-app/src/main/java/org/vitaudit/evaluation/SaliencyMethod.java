package org.vitaudit.evaluation;

/** A way to draw a saliency map for a class, as compared by {@code evaluate}. */
public interface SaliencyMethod {
  /**
   * A map over the patch grid and the model's probability for the class on this input.
   *
   * @param map values in [0, 1], row-major {@code height x width}
   */
  record Output(float[] map, int height, int width, double probability) {}

  String name();

  Output explain(float[] input, int classIndex);
}
