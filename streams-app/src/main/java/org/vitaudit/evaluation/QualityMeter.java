package org.vitaudit.evaluation;

/**
 * Measures {@link ImageQuality} of a method's map: the input tensor is multiplied by the map
 * (bilinearly upsampled to the input size), and the model and the method run again on it.
 */
public final class QualityMeter {
  private final SaliencyMethod method;
  private final int height;
  private final int width;

  public QualityMeter(SaliencyMethod method, int inputHeight, int inputWidth) {
    this.method = method;
    this.height = inputHeight;
    this.width = inputWidth;
  }

  /** A map and its quality for one image and class. */
  public record Measured(SaliencyMethod.Output output, float[] upsampled, ImageQuality quality) {}

  public Measured measure(float[] input, int classIndex) {
    SaliencyMethod.Output s = method.explain(input, classIndex);
    return measure(input, classIndex, s);
  }

  /** As {@link #measure(float[], int)} for a map already drawn on this input. */
  public Measured measure(float[] input, int classIndex, SaliencyMethod.Output s) {
    float[] up = MapMath.upsample(s.map(), s.height(), s.width(), height, width);
    float[] masked = MapMath.mask(input, up);
    SaliencyMethod.Output again = method.explain(masked, classIndex);
    float[] upAgain = MapMath.upsample(again.map(), again.height(), again.width(), height, width);
    double r = MapMath.pearson(up, upAgain);
    double coherency = ((Double.isNaN(r) ? 0 : r) + 1) / 2;
    return new Measured(
        s, up, new ImageQuality(s.probability(), again.probability(), coherency, MapMath.mean(up)));
  }
}
