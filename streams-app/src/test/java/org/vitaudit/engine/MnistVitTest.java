package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitaudit.evaluation.Box;
import org.vitaudit.evaluation.PointingGame;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.testing.DefaultOptions;
import org.vitaudit.testing.SharedData;

/** The real, trained MNIST ViT from ../shared (skipped where that is absent). */
class MnistVitTest {
  private static SaliencyEngine engine;
  private static ModelSetup setup;

  @BeforeAll
  static void open() {
    SharedData.assumeMnist();
    setup = SharedData.mnistSetup();
    engine =
        SaliencyEngine.open(
            setup.bundle(), DefaultOptions.engine(setup.inputShape(), setup.labels()));
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static float[] input(SharedData.Digit d) throws Exception {
    return new Preprocessor(setup.preprocessing())
        .prepare(new ImageDecoder(ImageLimits.DEFAULT).decode(Files.readAllBytes(d.file())))
        .tensor();
  }

  @Test
  void cutsWhereTheModelCardSays() {
    assertThat(engine.facts().cutNode())
        .isEqualTo("/transformer/layers.5.0/norm/LayerNormalization");
    assertThat(engine.facts().layout().prefix()).isEqualTo(1);
    assertThat(engine.facts().layout().gridHeight()).isEqualTo(7);
  }

  @Test
  void predictionsAreTheUnmodifiedModels() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession plain = env.createSession(Files.readAllBytes(SharedData.MNIST_MODEL))) {
      int correct = 0;
      for (SharedData.Digit d : SharedData.digits()) {
        float[] x = input(d);
        float[] logits;
        try (OnnxTensor t =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, 28, 28});
            OrtSession.Result r = plain.run(Map.of("input", t))) {
          logits = ((float[][]) r.get(0).getValue())[0];
        }
        Explanation e = engine.explain(x, ExplainRequest.DEFAULT);
        double[] p = Softmax.of(logits);
        int argmax = 0;
        for (int c = 1; c < 10; c++) {
          argmax = p[c] > p[argmax] ? c : argmax;
        }
        assertThat(e.top().classIndex()).as(d.file().toString()).isEqualTo(argmax);
        assertThat(e.top().probability()).isCloseTo(p[argmax], within(1e-5));
        correct += argmax == d.label() ? 1 : 0;
      }
      // The model card reports 98.29 % on 10,000 digits; these 80 are a sample of them.
      assertThat(correct).isGreaterThanOrEqualTo(76);
    }
  }

  @Test
  void theMapsPeakOnTheDigit() throws Exception {
    double rate = pointingRate(engine);
    double chance = chance();
    System.out.printf(
        "MNIST ViT pointing game, defaults: %.1f %% (chance %.1f %%)%n", 100 * rate, 100 * chance);
    // Measured 81.3 % against 52.5 % chance with the seed semantics of algorithm.md (cut at the
    // last block, its residual adding the masked features); see README, "Known limits".
    assertThat(rate).isGreaterThanOrEqualTo(0.78);
    assertThat(rate).isGreaterThan(1.4 * chance);
  }

  @Test
  void withTheAuthorsSettingsTheMapsPeakOnTheDigitNineTimesInTen() throws Exception {
    // The authors' repository: the second-to-last block, its residual adding the unmasked block
    // input. Gaussian masks, CLS kept, as everywhere here. An independent PyTorch computation
    // (tools/reference/mnist_pointing.py) gives 97.5 % on these 80 digits.
    CutOptions authors =
        CutOptions.DEFAULT.withBlockFromEnd(2).withResidual(ResidualSource.BLOCK_INPUT);
    try (SaliencyEngine e =
        SaliencyEngine.open(
            setup.bundle(),
            DefaultOptions.engine(setup.inputShape(), setup.labels()).withCut(authors))) {
      double rate = pointingRate(e);
      System.out.printf(
          "MNIST ViT pointing game, --block 2 --residual block-input: %.1f %%%n", 100 * rate);
      assertThat(rate).isGreaterThanOrEqualTo(0.90);
    }
  }

  private static double pointingRate(SaliencyEngine e) throws Exception {
    int hits = 0;
    var digits = SharedData.digits();
    for (SharedData.Digit d : digits) {
      Explanation x = e.explain(input(d), ExplainRequest.DEFAULT);
      hits += PointingGame.hit(x.maps().get(0), box(d), 28, 28) ? 1 : 0;
    }
    return (double) hits / digits.size();
  }

  private static double chance() {
    var digits = SharedData.digits();
    return digits.stream().mapToDouble(d -> PointingGame.baseline(7, 7, box(d), 28, 28)).sum()
        / digits.size();
  }

  private static Box box(SharedData.Digit d) {
    return new Box(d.x0(), d.y0(), d.x1(), d.y1());
  }
}
