package org.vitaudit.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.vitaudit.engine.SaliencyEngine;

/**
 * Runs every method on every image and averages the paper's metrics. The class explained is the
 * model's own top-1 (as in the paper), whatever the label says; the label only counts for accuracy.
 */
public final class Evaluation {
  private final SaliencyEngine model;
  private final List<SaliencyMethod> methods;
  private final int height;
  private final int width;

  public Evaluation(
      SaliencyEngine model, List<SaliencyMethod> methods, int inputHeight, int inputWidth) {
    this.model = model;
    this.methods = List.copyOf(methods);
    this.height = inputHeight;
    this.width = inputWidth;
  }

  /**
   * @param progress told the number of images done
   */
  public EvaluationReport run(List<LabelledImage> images, IntConsumer progress) {
    List<Totals> totals = methods.stream().map(m -> new Totals()).toList();
    List<QualityMeter> meters =
        methods.stream().map(m -> new QualityMeter(m, height, width)).toList();
    int labelled = 0;
    int correct = 0;
    for (int i = 0; i < images.size(); i++) {
      LabelledImage image = images.get(i);
      int top1 = argmax(model.probabilities(image.input()));
      if (image.label().isPresent()) {
        labelled++;
        correct += image.label().get() == top1 ? 1 : 0;
      }
      for (int m = 0; m < methods.size(); m++) {
        QualityMeter.Measured r = meters.get(m).measure(image.input(), top1);
        totals.get(m).add(r, image.box(), height, width);
      }
      progress.accept(i + 1);
    }
    List<VariantResult> rows = new ArrayList<>();
    for (int m = 0; m < methods.size(); m++) {
      rows.add(totals.get(m).result(methods.get(m).name()));
    }
    return new EvaluationReport(
        images.size(),
        labelled == 0 ? Optional.empty() : Optional.of(100.0 * correct / labelled),
        rows);
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      best = p[c] > p[best] ? c : best;
    }
    return best;
  }

  /** Running sums for one method. */
  private static final class Totals {
    private int n;
    private double drop;
    private int increase;
    private double coherency;
    private double complexity;
    private double adcc;
    private int boxed;
    private int hits;
    private double chance;
    private double energy;

    void add(QualityMeter.Measured r, Optional<Box> box, int height, int width) {
      ImageQuality q = r.quality();
      n++;
      drop += q.drop();
      increase += q.increase() ? 1 : 0;
      coherency += q.coherency();
      complexity += q.complexity();
      adcc += q.adcc();
      if (box.isPresent()) {
        SaliencyMethod.Output s = r.output();
        boxed++;
        hits += PointingGame.hit(s.map(), s.height(), s.width(), box.get(), height, width) ? 1 : 0;
        chance += PointingGame.baseline(s.height(), s.width(), box.get(), height, width);
        energy += MapMath.energyInside(r.upsampled(), height, width, box.get());
      }
    }

    VariantResult result(String name) {
      double k = n == 0 ? Double.NaN : 100.0 / n;
      Optional<Double> pointing = boxed == 0 ? Optional.empty() : Optional.of(100.0 * hits / boxed);
      Optional<Double> base = boxed == 0 ? Optional.empty() : Optional.of(100.0 * chance / boxed);
      Optional<Double> inBox = boxed == 0 ? Optional.empty() : Optional.of(100.0 * energy / boxed);
      return new VariantResult(
          name,
          drop * k,
          increase * k,
          coherency * k,
          complexity * k,
          adcc * k,
          pointing,
          base,
          inBox);
    }
  }
}
