package org.vitaudit.evaluation;

/**
 * How faithful one map is (Poppi et al., CVPR-W 2021): what masking the input with the map does to
 * the model's confidence, whether the map survives that masking, and how much of the image it
 * lights up.
 *
 * @param confidence Y, the probability of the class on the input
 * @param maskedConfidence O, its probability on the input multiplied by the map
 * @param coherency (Pearson(S, S') + 1) / 2 with S' the map on the masked input; a NaN Pearson
 *     counts as 0
 * @param complexity the mean of the upsampled map
 */
public record ImageQuality(
    double confidence, double maskedConfidence, double coherency, double complexity) {

  /** max(0, Y - O) / Y. */
  public double drop() {
    return confidence > 0 ? Math.max(0, confidence - maskedConfidence) / confidence : 0;
  }

  /** Whether masking raised the confidence (O > Y). */
  public boolean increase() {
    return maskedConfidence > confidence;
  }

  /** 3 / (1/coherency + 1/(1 - complexity) + 1/(1 - drop)); 0 where any term is 0. */
  public double adcc() {
    double a = coherency;
    double b = 1 - complexity;
    double c = 1 - drop();
    if (a <= 0 || b <= 0 || c <= 0) {
      return 0;
    }
    return 3 / (1 / a + 1 / b + 1 / c);
  }
}
