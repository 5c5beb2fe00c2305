package org.vitaudit.bench;

import ai.onnxruntime.OnnxTensor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.PlainOrtSession;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.StageClock;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;

/**
 * Per-image latency of (a) prediction only, (b) prediction + saliency with the generic H, (c) the
 * same with the fast H, measured side by side in one process on the same inputs after warm-up,
 * beside ONNX Runtime's own run of the model on a tensor prepared beforehand (the bare row) and a
 * breakdown of one image's way from its bytes to its logits. All run in turn on each image, so
 * drift in the machine's speed hits all of them alike; (a) and the bare row swap places from one
 * image to the next, so neither always follows the other's thread pool.
 */
public final class LatencyBench {
  /** The stages of the breakdown, in order: {@code decode} and {@code preprocess}, then (a)'s. */
  public static final List<String> STAGES =
      List.of("decode", "preprocess", "tensor", "run", "read");

  /**
   * The medians and 95th percentiles in milliseconds; fast is empty where the model has no fast H.
   */
  public record Result(
      int images,
      Percentiles predict,
      Percentiles bare,
      Percentiles generic,
      Optional<Percentiles> fast,
      StageBreakdown breakdown) {
    public double ratioGeneric() {
      return generic.median() / predict.median();
    }

    public Optional<Double> ratioFast() {
      return fast.map(f -> f.median() / predict.median());
    }

    /** (a) over ONNX Runtime's bare run: what our way of running the model adds. */
    public double ratioPredictBare() {
      return predict.median() / bare.median();
    }
  }

  /**
   * Opens the three on one model (the generic H, and the fast H where {@code auto} picks it) and a
   * bare ONNX Runtime session with the same options, runs them on {@code inputs} and closes them.
   *
   * @param progress called with the number of measurements done so far, out of inputs x rounds
   */
  public static LatencyReport measure(
      ModelSetup setup,
      EngineOptions options,
      ExplainRequest request,
      List<BenchInputs.Input> inputs,
      int warmup,
      int rounds,
      Consumer<Integer> progress) {
    try (Classifier plain = new Classifier(setup.bundle(), options);
        PlainOrtSession bare = PlainOrtSession.open(setup.bundle(), options);
        SaliencyEngine generic =
            SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.GENERIC));
        SaliencyEngine fast = SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.AUTO))) {
      boolean hasFast = fast.hKind(request.masks()) == HKind.FAST;
      Result r =
          new LatencyBench(
                  plain,
                  bare,
                  generic,
                  hasFast ? Optional.of(fast) : Optional.empty(),
                  request,
                  new Preprocessor(setup.preprocessing()))
              .run(inputs, warmup, rounds, progress);
      return new LatencyReport(
          setup.bundle().name(), generic.facts().provider(), r, ProcessMemory.peakMiB());
    }
  }

  private final Classifier plain;
  private final PlainOrtSession bare;
  private final SaliencyEngine generic;
  private final Optional<SaliencyEngine> fast;
  private final ExplainRequest request;
  private final Preprocessor pre;
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  /**
   * @param pre the preprocessing the inputs' tensors were made with, for the breakdown
   */
  public LatencyBench(
      Classifier plain,
      PlainOrtSession bare,
      SaliencyEngine generic,
      Optional<SaliencyEngine> fast,
      ExplainRequest request,
      Preprocessor pre) {
    this.plain = plain;
    this.bare = bare;
    this.generic = generic;
    this.fast = fast;
    this.request = request;
    this.pre = pre;
  }

  /**
   * @param rounds how many times each image is measured
   * @param progress called with the number of measurements done so far
   */
  public Result run(
      List<BenchInputs.Input> inputs, int warmup, int rounds, Consumer<Integer> progress) {
    List<OnnxTensor> prepared = new ArrayList<>();
    try {
      for (BenchInputs.Input in : inputs) {
        prepared.add(bare.prepare(in.tensor()));
      }
      return run(inputs, prepared, warmup, rounds, progress);
    } finally {
      prepared.forEach(OnnxTensor::close);
    }
  }

  private Result run(
      List<BenchInputs.Input> inputs,
      List<OnnxTensor> prepared,
      int warmup,
      int rounds,
      Consumer<Integer> progress) {
    for (int i = 0; i < warmup; i++) {
      BenchInputs.Input x = inputs.get(i % inputs.size());
      plain.logits(x.tensor());
      bare.run(prepared.get(i % inputs.size()));
      staged(x);
      generic.explain(x.tensor(), request);
      fast.ifPresent(f -> f.explain(x.tensor(), request));
    }
    List<Double> a = new ArrayList<>();
    List<Double> bareTimes = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    StageBreakdown breakdown = new StageBreakdown();
    int done = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < inputs.size(); i++) {
        float[] x = inputs.get(i).tensor();
        OnnxTensor t = prepared.get(i);
        if (done % 2 == 0) {
          a.add(time(() -> plain.logits(x)));
          bareTimes.add(time(() -> bare.run(t)));
        } else {
          bareTimes.add(time(() -> bare.run(t)));
          a.add(time(() -> plain.logits(x)));
        }
        breakdown.add(staged(inputs.get(i)));
        b.add(time(() -> generic.explain(x, request)));
        fast.ifPresent(f -> c.add(time(() -> f.explain(x, request))));
        progress.accept(++done);
      }
    }
    return new Result(
        inputs.size() * rounds,
        new Percentiles(a),
        new Percentiles(bareTimes),
        new Percentiles(b),
        fast.map(f -> new Percentiles(c)),
        breakdown);
  }

  /** One image from its bytes to its logits, each stage timed: {@link #STAGES}. */
  private StageClock staged(BenchInputs.Input x) {
    StageClock clock = StageClock.started();
    BufferedImage image;
    try {
      image = decoder.decode(x.encoded());
    } catch (ImageRejectedException e) {
      throw new IllegalStateException("a bench input no longer decodes: " + e.getMessage(), e);
    }
    clock.lap("decode");
    float[] tensor = pre.tensor(image);
    clock.lap("preprocess");
    plain.logits(tensor, clock);
    return clock;
  }

  static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }
}
