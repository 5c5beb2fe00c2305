package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitaudit.testing.Fixture;

/**
 * The ORT pipeline (G, then the generic H and the fast H) on every served fixture against two
 * independent references: the PyTorch computation stored with the fixture, and the plain-Java
 * oracle.
 */
class EngineFixturesTest {
  private static final Map<String, SaliencyEngine> ENGINES = new ConcurrentHashMap<>();
  private static final Map<String, MaskSpec> VARIANTS =
      Map.of(
          "gaussian", MaskSpec.DEFAULT,
          "dirac", new MaskSpec(MaskKernel.DIRAC, true),
          "gaussian_noprefix", new MaskSpec(MaskKernel.GAUSSIAN, false));

  static List<String> served() {
    return Fixture.SERVED;
  }

  /** Every served fixture with each H; the fast one must serve them all. */
  static List<Arguments> servedByEachH() {
    return served().stream()
        .flatMap(s -> Stream.of(Arguments.of(s, HMode.GENERIC), Arguments.of(s, HMode.FAST)))
        .toList();
  }

  static SaliencyEngine engine(String stem) {
    return engine(stem, HMode.GENERIC);
  }

  static SaliencyEngine engine(String stem, HMode h) {
    return ENGINES.computeIfAbsent(
        stem + "/" + h,
        key -> {
          Fixture f = Fixture.named(stem);
          return SaliencyEngine.open(f.bundle(), f.engineOptions().withHMode(h));
        });
  }

  @AfterAll
  static void closeEngines() {
    ENGINES.values().forEach(SaliencyEngine::close);
    ENGINES.clear();
  }

  @ParameterizedTest
  @MethodSource("served")
  void findsTheTokenLayoutTheModelWasBuiltWith(String stem) {
    JsonNode oracle = Fixture.named(stem).oracle();
    ModelFacts facts = engine(stem).facts();
    assertThat(facts.layout().prefix()).isEqualTo(oracle.get("prefix_tokens").asInt());
    assertThat(facts.layout().gridHeight()).isEqualTo(oracle.get("grid").get(0).asInt());
    assertThat(facts.layout().gridWidth()).isEqualTo(oracle.get("grid").get(1).asInt());
    assertThat(facts.dim()).isEqualTo(oracle.get("dim").asInt());
  }

  @ParameterizedTest
  @MethodSource("served")
  void cutsAtTheLastBlocksFirstNorm(String stem) {
    Fixture f = Fixture.named(stem);
    SaliencyEngine engine = engine(stem);
    String ln1 = f.oracle().get("ln1_output").asText();
    assertThat(engine.prepared().featureModel().getGraph().getOutputList())
        .anySatisfy(o -> assertThat(o.getName()).isEqualTo(ln1));
  }

  @ParameterizedTest
  @MethodSource("served")
  void predictionIsTheFullModelsAsPyTorchComputedIt(String stem) {
    Fixture f = Fixture.named(stem);
    JsonNode expected = f.expected();
    Explanation e = engine(stem).explain(f.expectedInput(), ExplainRequest.DEFAULT);
    float[] logits = Fixture.floats(expected.get("logits"));
    for (int c = 0; c < logits.length; c++) {
      assertThat(e.logits()[c]).as("logit %d", c).isCloseTo(logits[c], within(1e-4f));
    }
    assertThat(e.top().classIndex()).isEqualTo(expected.get("top1").asInt());
  }

  @ParameterizedTest
  @MethodSource("servedByEachH")
  void mapsEqualThePyTorchReference(String stem, HMode h) {
    Fixture f = Fixture.named(stem);
    JsonNode expected = f.expected();
    int top1 = expected.get("top1").asInt();
    for (var variant : VARIANTS.entrySet()) {
      Explanation e =
          engine(stem, h)
              .explain(f.expectedInput(), ExplainRequest.DEFAULT.withMasks(variant.getValue()));
      float[] reference = Fixture.floats(expected.get("maps").get(variant.getKey()));
      assertThat(maxAbsDiff(e.mapFor(top1).values(), reference))
          .as(variant.getKey())
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @ParameterizedTest
  @MethodSource("servedByEachH")
  void mapsEqualThePlainJavaOracle(String stem, HMode h) throws Exception {
    Fixture f = Fixture.named(stem);
    SaliencyEngine engine = engine(stem, h);
    PlainJavaH oracle = new PlainJavaH(f.onnx(), f.oracle());
    float[] features = engine.features(f.expectedInput());
    for (MaskSpec masks : VARIANTS.values()) {
      Explanation e =
          engine.explain(
              f.expectedInput(), new ExplainRequest(masks, ScoreMode.SOFTMAX, 3, List.of()));
      var layout = engine.facts().layout();
      double[][] logits = oracle.logits(features, masks.weights(layout), layout.cells());
      CopyScores reference = oracleScores(logits);
      for (ClassSaliency map : e.maps()) {
        float[] want = reference.mapFor(map.classIndex(), layout).values();
        assertThat(maxAbsDiff(map.values(), want))
            .as("%s class %d", masks.variantName(), map.classIndex())
            .isLessThanOrEqualTo(1e-4);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("served")
  void everyRequestedClassGetsItsMapFromTheSameRun(String stem) {
    Fixture f = Fixture.named(stem);
    SaliencyEngine engine = engine(stem);
    int last = engine.facts().classes() - 1;
    Explanation e =
        engine.explain(
            f.expectedInput(),
            new ExplainRequest(MaskSpec.DEFAULT, ScoreMode.SOFTMAX, 2, List.of(last)));
    assertThat(e.predictions()).hasSize(2);
    assertThat(e.maps())
        .extracting(ClassSaliency::classIndex)
        .contains(e.predictions().get(0).classIndex(), e.predictions().get(1).classIndex(), last);
    for (ClassSaliency m : e.maps()) {
      assertThat(m.values())
          .containsExactly(e.scores().mapFor(m.classIndex(), engine.facts().layout()).values());
    }
  }

  private static CopyScores oracleScores(double[][] logits) {
    int classes = logits[0].length;
    double[] v = new double[logits.length * classes];
    for (int n = 0; n < logits.length; n++) {
      double max = Arrays.stream(logits[n]).max().orElseThrow();
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[n][c] - max);
      }
      for (int c = 0; c < classes; c++) {
        v[n * classes + c] = Math.exp(logits[n][c] - max) / sum;
      }
    }
    return new CopyScores(logits.length, classes, v);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
