package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.testing.Fixture;
import org.vitaudit.testing.SharedData;

/** The fast exact H gives the generic H's maps on every model it serves, for every mask variant. */
class FastTailTest {
  private static final List<MaskSpec> VARIANTS = List.of(MaskSpec.DEFAULT, new MaskSpec(MaskKernel.DIRAC, true),
      new MaskSpec(MaskKernel.GAUSSIAN, false), new MaskSpec(MaskKernel.DIRAC, false));

  static List<String> prefixPooled() {
    return Fixture.SERVED.stream().filter(s -> !s.equals("meanpool_vit")).toList();
  }

  @ParameterizedTest
  @MethodSource("prefixPooled")
  void fastMapsEqualGenericMaps(String stem) {
    Fixture f = Fixture.named(stem);
    assertSameMaps(f.bundle(), f.engineOptions(), List.of(f.expectedInput()));
  }

  @Test
  void fastMapsEqualGenericMapsOnTheMnistVit() throws Exception {
    var setup = SharedData.mnistSetup();
    var pre = new org.vitaudit.image.Preprocessor(setup.preprocessing());
    var decoder = new org.vitaudit.image.ImageDecoder(org.vitaudit.image.ImageLimits.DEFAULT);
    List<float[]> inputs = SharedData.digits().stream().limit(12).map(d -> {
      try {
        return pre.prepare(decoder.decode(java.nio.file.Files.readAllBytes(d.file()))).tensor();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    assertSameMaps(setup.bundle(), EngineOptions.defaults(setup.inputShape(), setup.labels()), inputs);
  }

  @Test
  void meanPooledModelsKeepTheGenericHInAutoAndAreRefusedInFastMode() {
    Fixture f = Fixture.named("meanpool_vit");
    try (SaliencyEngine auto = SaliencyEngine.open(f.bundle(), f.engineOptions())) {
      assertThat(auto.tailKind(MaskSpec.DEFAULT)).isEqualTo("generic");
    }
    try (SaliencyEngine fast = SaliencyEngine.open(f.bundle(), f.engineOptions().withHMode(HMode.FAST))) {
      assertThatThrownBy(() -> fast.explain(f.expectedInput(), ExplainRequest.DEFAULT))
          .isInstanceOf(ModelNotSupportedException.class)
          .hasMessageContaining("prefix token");
    }
  }

  /**
   * 1e-4 for the predicted class's map. Other classes' maps get 1e-4 plus what float32 allows:
   * both H compute in float32, so a score carries a relative error of a few 1e-6, which the min-max
   * divides by the score's range over the copies; a confident model's unlikely classes barely move
   * (on the demo model, ranges under 1 % of the score, where the raw scores still agree to 3e-6).
   */
  static double tolerance(SaliencyMap map, int predicted) {
    double range = map.scoreMax() - map.scoreMin();
    if (map.classIndex() == predicted || range <= 0) {
      return 1e-4;
    }
    return 1e-4 + 1e-5 * Math.abs(map.scoreMax()) / range;
  }

  static void assertSameMaps(org.vitaudit.model.ModelBundle bundle, EngineOptions options, List<float[]> inputs) {
    // The generic H in chunks of 7 copies, so chunk boundaries are crossed too.
    try (SaliencyEngine fast = SaliencyEngine.open(bundle, options.withHMode(HMode.FAST));
        SaliencyEngine generic = SaliencyEngine.open(bundle, options.withHMode(HMode.GENERIC).withMaxHBatch(7))) {
      int classes = fast.facts().classes();
      for (MaskSpec masks : VARIANTS) {
        ExplainRequest request = new ExplainRequest(masks, ScoreMode.SOFTMAX, Math.min(3, classes), List.of(classes - 1));
        assertThat(fast.tailKind(masks)).isEqualTo("fast");
        List<Explanation> a = fast.explain(inputs, request);
        List<Explanation> b = generic.explain(inputs, request);
        for (int i = 0; i < inputs.size(); i++) {
          assertThat(a.get(i).predictions()).extracting(Prediction::classIndex)
              .containsExactlyElementsOf(b.get(i).predictions().stream().map(Prediction::classIndex).toList());
          for (int m = 0; m < b.get(i).maps().size(); m++) {
            SaliencyMap want = b.get(i).maps().get(m);
            assertThat(EngineFixturesTest.maxAbsDiff(a.get(i).maps().get(m).values(), want.values()))
                .as("%s image %d class %d", masks.variantName(), i, want.classIndex())
                .isLessThanOrEqualTo(tolerance(want, b.get(i).top().classIndex()));
          }
        }
      }
    }
  }
}
