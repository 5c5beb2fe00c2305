package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vitaudit.engine.EngineFixturesTest.maxAbsDiff;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.testing.Fixture;

/**
 * The residual and block choices of algorithm.md ("The split") against the maps PyTorch computed
 * for them when the fixtures were made (tools/fixtures/make_fixtures.py, RESIDUAL_VARIANTS), and
 * the last-block ones against the plain-Java oracle too.
 */
class ResidualChoicesTest {
  /** The map names in expected.json and the cut they stand for. */
  private static final Map<String, CutOptions> CHOICES =
      Map.of(
          "gaussian_masked_input",
          CutOptions.DEFAULT.withResidual(ResidualSource.MASKED_INPUT),
          "gaussian_block_input",
          CutOptions.DEFAULT.withResidual(ResidualSource.BLOCK_INPUT),
          "gaussian_seed_second_last",
          CutOptions.DEFAULT.withBlockFromEnd(2),
          "gaussian_block_input_second_last",
          CutOptions.DEFAULT.withResidual(ResidualSource.BLOCK_INPUT).withBlockFromEnd(2));

  static List<String> served() {
    return Fixture.SERVED;
  }

  private static SaliencyEngine open(Fixture f, CutOptions cut) {
    return SaliencyEngine.open(f.bundle(), f.engineOptions().withCut(cut));
  }

  @ParameterizedTest
  @MethodSource("served")
  void mapsEqualThePyTorchReference(String stem) {
    Fixture f = Fixture.named(stem);
    int top1 = f.expected().get("top1").asInt();
    for (var choice : CHOICES.entrySet()) {
      try (SaliencyEngine engine = open(f, choice.getValue())) {
        Explanation e = engine.explain(f.expectedInput(), ExplainRequest.DEFAULT);
        float[] reference = Fixture.floats(f.expected().get("maps").get(choice.getKey()));
        assertThat(maxAbsDiff(e.mapFor(top1).values(), reference))
            .as(choice.getKey())
            .isLessThanOrEqualTo(1e-4);
        assertThat(engine.hKind(MaskSpec.DEFAULT))
            .as("%s: %s", choice.getKey(), servedBy(stem, choice.getValue()))
            .isEqualTo(servedBy(stem, choice.getValue()));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("served")
  void lastBlockChoicesEqualThePlainJavaOracle(String stem) throws Exception {
    Fixture f = Fixture.named(stem);
    PlainJavaH oracle = new PlainJavaH(f.onnx(), f.oracle());
    for (ResidualSource residual :
        List.of(ResidualSource.MASKED_INPUT, ResidualSource.BLOCK_INPUT)) {
      try (SaliencyEngine engine = open(f, CutOptions.DEFAULT.withResidual(residual))) {
        var layout = engine.facts().layout();
        for (MaskSpec masks : List.of(MaskSpec.DEFAULT, new MaskSpec(MaskKernel.GAUSSIAN, false))) {
          Explanation e =
              engine.explain(
                  f.expectedInput(), new ExplainRequest(masks, ScoreMode.LOGITS, 3, List.of()));
          double[][] logits =
              oracle.logits(
                  engine.features(f.expectedInput()),
                  masks.weights(layout),
                  layout.cells(),
                  residual.cliName(),
                  engine.blockInput(f.expectedInput()));
          for (ClassSaliency map : e.maps()) {
            float[] want = oracleMap(logits, map.classIndex());
            assertThat(maxAbsDiff(map.values(), want))
                .as("%s %s class %d", residual, masks.variantName(), map.classIndex())
                .isLessThanOrEqualTo(1e-4);
          }
        }
      }
    }
  }

  @Test
  void theResidualChoicesDifferWhereTheClsTokenIsZeroed() {
    // With the CLS token kept (weight 1) X * m and X agree on the only row the head reads; zeroed,
    // they must not, or the two options would be one.
    Fixture f = Fixture.named("timm_vit");
    MaskSpec noCls = new MaskSpec(MaskKernel.GAUSSIAN, false);
    ExplainRequest request = new ExplainRequest(noCls, ScoreMode.LOGITS, 1, List.of());
    try (SaliencyEngine masked =
            open(f, CutOptions.DEFAULT.withResidual(ResidualSource.MASKED_INPUT));
        SaliencyEngine unmasked =
            open(f, CutOptions.DEFAULT.withResidual(ResidualSource.BLOCK_INPUT))) {
      float[] a = masked.explain(f.expectedInput(), request).maps().get(0).values();
      float[] b = unmasked.explain(f.expectedInput(), request).maps().get(0).values();
      assertThat(maxAbsDiff(a, b)).isGreaterThan(1e-2);
    }
  }

  /**
   * The fast H serves every residual reading at the last block, except the unmasked block input
   * under a head that pools tokens (each zeroed token adds its own X row there); no reading before
   * the last block.
   */
  private static HKind servedBy(String stem, CutOptions cut) {
    boolean pooled = stem.equals("meanpool_vit");
    boolean fast =
        cut.blockFromEnd() == 1 && !(pooled && cut.residual() == ResidualSource.BLOCK_INPUT);
    return fast ? HKind.FAST : HKind.GENERIC;
  }

  @Test
  void theFastHRefusesWhatItCannotServeWithTheWayOut() {
    Fixture pooled = Fixture.named("meanpool_vit");
    try (SaliencyEngine engine =
        SaliencyEngine.open(
            pooled.bundle(),
            pooled
                .engineOptions()
                .withHMode(HMode.FAST)
                .withCut(CutOptions.DEFAULT.withResidual(ResidualSource.BLOCK_INPUT)))) {
      assertThatThrownBy(() -> engine.hKind(MaskSpec.DEFAULT))
          .isInstanceOf(ModelNotSupportedException.class)
          .hasMessageContaining("prefix rows: the head pools every token")
          .hasMessageContaining(
              "distinct rows: the unmasked block input in the residual gives every zeroed token its"
                  + " own row")
          .hasMessageContaining("--h-mode generic");
    }
    Fixture f = Fixture.named("timm_vit");
    try (SaliencyEngine engine =
        SaliencyEngine.open(
            f.bundle(),
            f.engineOptions()
                .withHMode(HMode.FAST)
                .withCut(CutOptions.DEFAULT.withBlockFromEnd(2)))) {
      assertThatThrownBy(() -> engine.hKind(MaskSpec.DEFAULT))
          .hasMessageContaining("not at the last block");
    }
  }

  @Test
  void aBlockTheModelDoesNotHaveIsRefused() {
    Fixture f = Fixture.named("timm_vit");
    assertThatThrownBy(() -> open(f, CutOptions.DEFAULT.withBlockFromEnd(3)))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("block 3 from the end")
        .hasMessageContaining("2 pre-norm block(s)");
  }

  @Test
  void contradictoryChoicesAreRefusedWhenConfigured() {
    assertThatThrownBy(
            () ->
                CutOptions.DEFAULT
                    .withNode(Optional.of("/blocks/blocks.1/norm1/LayerNormalization"))
                    .withBlockFromEnd(2))
        .hasMessageContaining("either a cut node or a block");
    assertThatThrownBy(
            () ->
                CutOptions.DEFAULT
                    .withResidual(ResidualSource.BLOCK_INPUT)
                    .withFeatures(FeatureSource.BLOCK_OUTPUT))
        .hasMessageContaining("LN1's output");
    assertThatThrownBy(() -> CutOptions.DEFAULT.withBlockFromEnd(0))
        .hasMessageContaining("1 (the last block)");
  }

  @Test
  void commandsAndTheStreamResolveTheCutByOneRule() {
    Optional<String> fromModelJson = Optional.of("/blocks/blocks.1/norm1/LayerNormalization");
    Optional<String> named = Optional.of("/blocks/blocks.0/norm1/LayerNormalization");
    assertThat(CutOptions.requested(Optional.empty(), fromModelJson, 1, ResidualSource.BLOCK_INPUT))
        .isEqualTo(new CutOptions(fromModelJson, 1, FeatureSource.LN1, ResidualSource.BLOCK_INPUT));
    assertThat(CutOptions.requested(named, fromModelJson, 1, ResidualSource.MASKED_FEATURES).node())
        .isEqualTo(named);
    // An earlier block is asked for explicitly, so model.json's node (of the last block) gives way.
    assertThat(
            CutOptions.requested(Optional.empty(), fromModelJson, 2, ResidualSource.MASKED_FEATURES)
                .node())
        .isEmpty();
    assertThatThrownBy(
            () -> CutOptions.requested(named, Optional.empty(), 2, ResidualSource.MASKED_FEATURES))
        .hasMessageContaining("not both");
  }

  /**
   * The min-max map of one class's raw logits over the copies, computed here from the oracle's
   * numbers.
   */
  private static float[] oracleMap(double[][] logits, int c) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : logits) {
      lo = Math.min(lo, row[c]);
      hi = Math.max(hi, row[c]);
    }
    float[] map = new float[logits.length];
    for (int n = 0; n < logits.length; n++) {
      map[n] = hi == lo ? 0f : (float) ((logits[n][c] - lo) / (hi - lo));
    }
    return map;
  }
}
