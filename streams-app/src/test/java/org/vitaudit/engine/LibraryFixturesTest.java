package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.testing.Fixture;

/**
 * Models built from the real classes of timm, transformers and torchvision, exported by both torch
 * exporters (tools/fixtures/make_library_fixtures.py): on the default settings and {@code auto},
 * each must explain with maps equal to a float64 reference computed by calling the libraries' own
 * modules, and be served by the H the method allows it.
 */
class LibraryFixturesTest {
  private static final Logger LOG = LoggerFactory.getLogger(LibraryFixturesTest.class);
  private static final Map<String, SaliencyEngine> ENGINES = new ConcurrentHashMap<>();

  static List<JsonNode> exported() {
    List<JsonNode> out = new ArrayList<>();
    Fixture.libraryManifest()
        .get("fixtures")
        .forEach(
            f -> {
              if (!f.has("error")) {
                out.add(f);
              }
            });
    return out;
  }

  private static SaliencyEngine engine(String stem) {
    return ENGINES.computeIfAbsent(
        stem,
        s -> {
          Fixture f = Fixture.library(s);
          return SaliencyEngine.open(f.bundle(), f.engineOptions());
        });
  }

  @AfterAll
  static void close() {
    ENGINES.values().forEach(SaliencyEngine::close);
    ENGINES.clear();
  }

  @Test
  void everyFamilyIsThereExportedBothWays() {
    List<String> stems = exported().stream().map(f -> f.get("stem").asText()).toList();
    assertThat(stems).hasSizeGreaterThanOrEqualTo(28);
    for (String family :
        List.of(
            "timm_vit",
            "timm_deit_distilled",
            "timm_vit_reg4",
            "timm_vit_layerscale",
            "timm_vit_avgpool",
            "timm_vit_avgpool_nocls",
            "timm_beit",
            "timm_eva",
            "hf_vit_eager",
            "hf_vit_sdpa",
            "hf_deit_teacher",
            "hf_dinov2",
            "torchvision_vit")) {
      assertThat(stems).contains(family + ".torchscript", family + ".dynamo");
    }
    assertThat(stems)
        .contains(
            "hf_dinov2_reg4.dynamo", "timm_vit.dynamo_external", "hf_vit_sdpa.dynamo_external");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exported")
  void explainsWithMapsEqualToTheLibrarysFloat64Reference(JsonNode fixture) {
    String stem = fixture.get("stem").asText();
    JsonNode expected = Fixture.library(stem).expected();
    SaliencyEngine engine = engine(stem);
    assertThat(engine.facts().layout().prefix()).isEqualTo(fixture.get("prefix_tokens").asInt());
    assertThat(engine.facts().layout().gridHeight()).isEqualTo(fixture.get("grid").get(0).asInt());

    float[] input = Fixture.floats(expected.get("input"));
    Explanation e = engine.explain(input, ExplainRequest.DEFAULT);
    float[] logits = Fixture.floats(expected.get("logits"));
    for (int c = 0; c < logits.length; c++) {
      assertThat(e.logits()[c]).as("%s logit %d", stem, c).isCloseTo(logits[c], within(2e-4f));
    }
    assertThat(e.top().classIndex()).isEqualTo(expected.get("top1").asInt());
    assertMap(stem, "gaussian", e.maps().get(0).values(), expected);

    MaskSpec dirac = new MaskSpec(MaskKernel.DIRAC, true);
    float[] diracMap =
        CopyScores.fromLogits(
                engine.h(dirac).logits(engine.features(input), null),
                engine.facts().layout().cells(),
                ScoreMode.SOFTMAX)
            .mapFor(e.top().classIndex(), engine.facts().layout())
            .values();
    assertMap(stem, "dirac", diracMap, expected);
    LOG.info("{}: served by the {} H", stem, engine.hKind(MaskSpec.DEFAULT));
  }

  /**
   * The fast H serves every block whose attention has no computed bias; BEiT and EVA keep the
   * generic H.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exported")
  void theFastHServesEveryModelWithoutAComputedAttentionBias(JsonNode fixture) {
    String stem = fixture.get("stem").asText();
    HKind want = fixture.get("attn_bias").asText().equals("none") ? HKind.FAST : HKind.GENERIC;
    assertThat(engine(stem).hKind(MaskSpec.DEFAULT)).as(stem).isEqualTo(want);
  }

  /**
   * check-model's head kind and prefix tokens are what the library built (manifest, from its own
   * config).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exported")
  void checkModelReportsTheHeadAndPrefixTokensTheLibraryBuilt(JsonNode fixture) {
    String stem = fixture.get("stem").asText();
    ModelBundle bundle = Fixture.library(stem).bundle();
    ModelCheck check = ModelChecker.check(engine(stem), bundle, MaskSpec.DEFAULT);
    assertThat(check.head().orElseThrow().cliName())
        .as(stem)
        .isEqualTo(fixture.get("head_kind").asText());
    List<String> layout = new ArrayList<>();
    fixture
        .get("prefix_layout")
        .forEach(
            k ->
                layout.add(
                    switch (k.asText()) {
                      case "dist" -> "distillation";
                      case "reg" -> "register";
                      default -> k.asText();
                    }));
    // A pooled head reads no prefix row: its CLS token is then reported as unused.
    List<String> want =
        check.head().orElseThrow() == HeadKind.MEAN
            ? layout.stream().map(k -> "unused").toList()
            : layout;
    assertThat(check.prefixKinds()).as(stem).isEqualTo(want);
    assertThat(check.externalData())
        .as(stem)
        .isEqualTo(
            fixture.get("external_data").asBoolean() ? List.of(stem + ".onnx.data") : List.of());
    assertThat(check.refusals().get(HKind.GENERIC)).isEmpty();
  }

  private static void assertMap(String stem, String variant, float[] map, JsonNode expected) {
    float[] want = Fixture.floats(expected.get("maps").get(variant));
    assertThat(map).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(map[i]).as("%s %s cell %d", stem, variant, i).isCloseTo(want[i], within(1e-4f));
    }
  }
}
