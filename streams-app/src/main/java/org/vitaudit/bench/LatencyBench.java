package org.vitaudit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.model.ModelSetup;

/**
 * Per-image latency of (a) prediction only, (b) prediction + saliency with the generic H, (c) the
 * same with the fast H, measured side by side in one process on the same inputs after warm-up. The
 * three run in turn on each image, so drift in the machine's speed hits all of them alike.
 */
public final class LatencyBench {
  /**
   * The medians and 95th percentiles in milliseconds; fast is empty where the model has no fast H.
   */
  public record Result(
      int images, Percentiles predict, Percentiles generic, Optional<Percentiles> fast) {
    public double ratioGeneric() {
      return generic.median() / predict.median();
    }

    public Optional<Double> ratioFast() {
      return fast.map(f -> f.median() / predict.median());
    }
  }

  /**
   * Opens the three on one model (the generic H, and the fast H where {@code auto} picks it), runs
   * them on {@code inputs} and closes them.
   *
   * @param progress called with the number of measurements done so far, out of inputs x rounds
   */
  public static LatencyReport measure(
      ModelSetup setup,
      EngineOptions options,
      ExplainRequest request,
      List<float[]> inputs,
      int warmup,
      int rounds,
      Consumer<Integer> progress) {
    try (Classifier plain =
            new Classifier(
                setup.bundle(), setup.inputShape(), options.device(), options.intraOpThreads());
        SaliencyEngine generic =
            SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.GENERIC));
        SaliencyEngine fast = SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.AUTO))) {
      boolean hasFast = fast.hKind(request.masks()) == HKind.FAST;
      Result r =
          new LatencyBench(plain, generic, hasFast ? Optional.of(fast) : Optional.empty(), request)
              .run(inputs, warmup, rounds, progress);
      return new LatencyReport(
          setup.bundle().name(), generic.facts().provider(), r, ProcessMemory.peakMiB());
    }
  }

  private final Classifier plain;
  private final SaliencyEngine generic;
  private final Optional<SaliencyEngine> fast;
  private final ExplainRequest request;

  public LatencyBench(
      Classifier plain,
      SaliencyEngine generic,
      Optional<SaliencyEngine> fast,
      ExplainRequest request) {
    this.plain = plain;
    this.generic = generic;
    this.fast = fast;
    this.request = request;
  }

  /**
   * @param rounds how many times each image is measured
   * @param progress called with the number of measurements done so far
   */
  public Result run(List<float[]> inputs, int warmup, int rounds, Consumer<Integer> progress) {
    for (int i = 0; i < warmup; i++) {
      float[] x = inputs.get(i % inputs.size());
      plain.logits(x);
      generic.explain(x, request);
      fast.ifPresent(f -> f.explain(x, request));
    }
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    int done = 0;
    for (int r = 0; r < rounds; r++) {
      for (float[] x : inputs) {
        a.add(time(() -> plain.logits(x)));
        b.add(time(() -> generic.explain(x, request)));
        fast.ifPresent(f -> c.add(time(() -> f.explain(x, request))));
        progress.accept(++done);
      }
    }
    return new Result(
        inputs.size() * rounds,
        new Percentiles(a),
        new Percentiles(b),
        fast.map(f -> new Percentiles(c)));
  }

  static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }
}
