package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.ModelSidecar;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.synthetic.SyntheticVit;
import org.vitaudit.model.synthetic.VitShape;
import org.vitaudit.model.synthetic.VitShape.Attention;
import org.vitaudit.model.synthetic.VitShape.Head;
import org.vitaudit.testing.DefaultOptions;
import org.vitaudit.testing.ExporterQuirks;
import org.vitaudit.testing.Fixture;
import org.vitaudit.testing.SharedData;

/**
 * The fast exact H gives the generic H's maps on every model it serves, for every mask variant:
 * heads on prefix tokens, mean-pooled heads and DINOv2's CLS + mean, attention written with the
 * nodes exporters put around the softmax; for the residual readings that add the block input X too;
 * and where it cannot serve a model, the generic H does and the reason is said.
 */
class FastHTest {
  private static final List<MaskSpec> VARIANTS =
      List.of(
          MaskSpec.DEFAULT,
          new MaskSpec(MaskKernel.DIRAC, true),
          new MaskSpec(MaskKernel.GAUSSIAN, false),
          new MaskSpec(MaskKernel.DIRAC, false));
  private static final VitShape SMALL = new VitShape("small", 32, 8, 32, 2, 2, 4, 10);
  private static final int[] INPUT = {3, 32, 32};

  static List<String> served() {
    return Fixture.SERVED;
  }

  @ParameterizedTest
  @MethodSource("served")
  void fastMapsEqualGenericMaps(String stem) {
    Fixture f = Fixture.named(stem);
    assertSameMaps(f.bundle(), f.engineOptions(), List.of(f.expectedInput()));
  }

  /** A model and whether its head pools tokens (then prefix rows cannot serve it). */
  record Served(Fixture fixture, boolean pooledHead) {}

  /**
   * The models without a computed attention bias (the others keep the generic H whatever the
   * reading): the fixtures' own, and the real-library ones with their head as their library built
   * it (the manifest's head kind).
   */
  private static Stream<Served> withoutAComputedBias() {
    Stream<Served> own =
        Fixture.SERVED.stream().map(s -> new Served(Fixture.named(s), s.equals("meanpool_vit")));
    Stream<Served> library =
        LibraryFixturesTest.exported().stream()
            .filter(f -> f.get("attn_bias").asText().equals("none"))
            .map(
                f ->
                    new Served(
                        Fixture.library(f.get("stem").asText()),
                        !f.get("head_kind").asText().equals("prefix")));
    return Stream.concat(own, library);
  }

  static Stream<Arguments> readingsTheFastHServes() {
    return withoutAComputedBias()
        .flatMap(
            m ->
                Stream.of(ResidualSource.MASKED_INPUT, ResidualSource.BLOCK_INPUT)
                    .filter(r -> r == ResidualSource.MASKED_INPUT || !m.pooledHead())
                    .map(r -> Arguments.of(m.fixture(), r)));
  }

  static Stream<Fixture> pooledHeads() {
    return withoutAComputedBias().filter(Served::pooledHead).map(Served::fixture);
  }

  /**
   * The readings that add the block input X in the first residual: a prefix row's weight is the
   * same in every copy, so its residual (X's row, scaled by that weight or not) is one row for all
   * copies, and kept rows of pooled heads add X scaled by their weight (zeroed ones add 0).
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("readingsTheFastHServes")
  void fastMapsEqualGenericMapsWhereTheResidualAddsTheBlockInput(
      Fixture f, ResidualSource residual) {
    EngineOptions options = f.engineOptions();
    assertSameMaps(
        f.bundle(),
        options.withCut(options.cut().withResidual(residual)),
        List.of(f.expectedInput()));
  }

  /** The unmasked X gives each zeroed token its own row: pooled heads keep the generic H. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pooledHeads")
  void aPooledHeadWithTheUnmaskedBlockInputKeepsTheGenericHAndSaysWhy(Fixture f) {
    EngineOptions options = f.engineOptions();
    assertKeepsTheGenericH(
        f.bundle(),
        options.withCut(options.cut().withResidual(ResidualSource.BLOCK_INPUT)),
        f.expectedInput(),
        "distinct rows: the unmasked block input in the residual gives every zeroed token its own"
            + " row");
  }

  @Test
  void fastMapsEqualGenericMapsOnTheMnistVit() throws Exception {
    var setup = SharedData.mnistSetup();
    var pre = new Preprocessor(setup.preprocessing());
    var decoder = new ImageDecoder(ImageLimits.DEFAULT);
    List<float[]> inputs =
        SharedData.digits().stream()
            .limit(12)
            .map(
                d -> {
                  try {
                    return pre.prepare(decoder.decode(Files.readAllBytes(d.file()))).tensor();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
    assertSameMaps(
        setup.bundle(), DefaultOptions.engine(setup.inputShape(), setup.labels()), inputs);
  }

  /** Synthetic models with each head kind and attention layout (random weights, 4x4 grid). */
  enum Synthetic {
    /**
     * Hugging Face attention: scores divided after Q K^T, Dropout between the softmax and the
     * values.
     */
    HF_DROPOUT_CLS(Attention.HUGGING_FACE, Head.CLS, false),
    /** DINOv2's head: the CLS row concatenated with the mean of the patch rows. */
    DINOV2_HEAD(Attention.TIMM, Head.CLS_AND_MEAN, false),
    /** No prefix token: the mean of all tokens, a norm, the head. */
    MEAN_POOLED(Attention.HUGGING_FACE, Head.MEAN, false),
    /**
     * Cast, Cast, a ones head mask and the NaN guard after the softmax, a zero mask bias before it.
     */
    EXPORTER_QUIRKS_CLS(Attention.HUGGING_FACE, Head.CLS, true),
    EXPORTER_QUIRKS_DINOV2(Attention.TIMM, Head.CLS_AND_MEAN, true);

    final Attention attention;
    final Head head;
    final boolean quirks;

    Synthetic(Attention attention, Head head, boolean quirks) {
      this.attention = attention;
      this.head = head;
      this.quirks = quirks;
    }

    ModelBundle bundle() {
      VitShape shape = SMALL.with(name(), attention, head);
      ModelProto model = SyntheticVit.build(shape, 7);
      if (quirks) {
        boolean[] keep = new boolean[shape.tokens()];
        Arrays.fill(keep, true);
        model = ExporterQuirks.rewrite(model, shape.heads(), keep);
      }
      return ModelBundle.inMemory(name(), model.toByteArray(), ModelSidecar.empty());
    }
  }

  @ParameterizedTest
  @EnumSource(Synthetic.class)
  void fastMapsEqualGenericMapsOnEachHeadAndAttentionLayout(Synthetic model) {
    List<float[]> inputs = List.of(randomImage(1), randomImage(2));
    EngineOptions options = DefaultOptions.engine(INPUT, List.of());
    try (SaliencyEngine generic =
        SaliencyEngine.open(model.bundle(), options.withHMode(HMode.GENERIC))) {
      // The maps must mean something, or equal maps would prove little.
      ClassSaliency top = generic.explain(inputs.get(0), ExplainRequest.DEFAULT).maps().get(0);
      assertThat(top.scoreMax() - top.scoreMin())
          .as("top class score range over the copies")
          .isGreaterThan(1e-3);
    }
    assertSameMaps(model.bundle(), options, inputs);
  }

  @Test
  void aMaskBiasThatHidesATokenKeepsTheGenericHAndSaysWhy() {
    VitShape shape = SMALL.with("masked-key", Attention.TIMM, Head.CLS);
    boolean[] keep = new boolean[shape.tokens()];
    Arrays.fill(keep, true);
    keep[shape.tokens() - 1] = false; // computed, and not all zeros
    ModelProto model = ExporterQuirks.rewrite(SyntheticVit.build(shape, 7), shape.heads(), keep);
    assertKeepsTheGenericH(
        ModelBundle.inMemory("masked-key", model.toByteArray(), ModelSidecar.empty()),
        "adds a computed or second attention bias");
  }

  @Test
  void aPooledHeadWithAConstantAttentionBiasKeepsTheGenericHAndSaysWhy() {
    VitShape shape = SMALL.with("pooled-bias", Attention.TIMM, Head.MEAN);
    ModelProto model = ExporterQuirks.constantBias(SyntheticVit.build(shape, 7), shape.tokens(), 3);
    assertKeepsTheGenericH(
        ModelBundle.inMemory("pooled-bias", model.toByteArray(), ModelSidecar.empty()),
        "prefix rows: the head pools every token",
        "distinct rows: a constant attention bias gives every zeroed token its own row");
  }

  private static void assertKeepsTheGenericH(ModelBundle bundle, String... reasons) {
    assertKeepsTheGenericH(
        bundle, DefaultOptions.engine(INPUT, List.of()), randomImage(1), reasons);
  }

  private static void assertKeepsTheGenericH(
      ModelBundle bundle, EngineOptions options, float[] input, String... reasons) {
    try (SaliencyEngine auto = SaliencyEngine.open(bundle, options)) {
      assertThat(auto.hKind(MaskSpec.DEFAULT)).isEqualTo(HKind.GENERIC);
      assertThat(auto.explain(input, ExplainRequest.DEFAULT).maps()).isNotEmpty();
    }
    try (SaliencyEngine fast = SaliencyEngine.open(bundle, options.withHMode(HMode.FAST))) {
      var thrown =
          assertThatThrownBy(() -> fast.explain(input, ExplainRequest.DEFAULT))
              .isInstanceOf(ModelNotSupportedException.class);
      for (String reason : reasons) {
        thrown.hasMessageContaining(reason);
      }
    }
  }

  private static float[] randomImage(long seed) {
    Random random = new Random(seed);
    float[] image = new float[INPUT[0] * INPUT[1] * INPUT[2]];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextGaussian();
    }
    return image;
  }

  /**
   * 1e-4 for the predicted class's map. Other classes' maps get 1e-4 plus what float32 allows: both
   * H compute in float32, so a score carries a relative error of a few 1e-6, which the min-max
   * divides by the score's range over the copies; a confident model's unlikely classes barely move
   * (on the demo model, ranges under 1 % of the score, where the raw scores still agree to 3e-6).
   */
  static double tolerance(ClassSaliency map, int predicted) {
    double range = map.scoreMax() - map.scoreMin();
    if (map.classIndex() == predicted || range <= 0) {
      return 1e-4;
    }
    return 1e-4 + 1e-5 * Math.abs(map.scoreMax()) / range;
  }

  static void assertSameMaps(ModelBundle bundle, EngineOptions options, List<float[]> inputs) {
    // The generic H in chunks of 7 copies, the fast H's distinct rows in chunks of 5, so chunk
    // boundaries are crossed too (prefix rows take every copy at once).
    try (SaliencyEngine fast =
            SaliencyEngine.open(bundle, options.withHMode(HMode.FAST).withMaxHBatch(5));
        SaliencyEngine generic =
            SaliencyEngine.open(bundle, options.withHMode(HMode.GENERIC).withMaxHBatch(7))) {
      int classes = fast.facts().classes();
      for (MaskSpec masks : VARIANTS) {
        ExplainRequest request =
            new ExplainRequest(
                masks, ScoreMode.SOFTMAX, Math.min(3, classes), List.of(classes - 1));
        assertThat(fast.hKind(masks)).isEqualTo(HKind.FAST);
        List<Explanation> a = fast.explain(inputs, request);
        List<Explanation> b = generic.explain(inputs, request);
        for (int i = 0; i < inputs.size(); i++) {
          assertThat(a.get(i).predictions())
              .extracting(RankedClass::classIndex)
              .containsExactlyElementsOf(
                  b.get(i).predictions().stream().map(RankedClass::classIndex).toList());
          for (int m = 0; m < b.get(i).maps().size(); m++) {
            ClassSaliency want = b.get(i).maps().get(m);
            assertThat(
                    EngineFixturesTest.maxAbsDiff(a.get(i).maps().get(m).values(), want.values()))
                .as("%s image %d class %d", masks.variantName(), i, want.classIndex())
                .isLessThanOrEqualTo(tolerance(want, b.get(i).top().classIndex()));
          }
        }
      }
    }
  }
}
