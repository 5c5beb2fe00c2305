package org.vitaudit.model.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSidecar;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.testing.DefaultOptions;

class SyntheticVitTest {
  private static final VitShape SMALL = new VitShape("test-vit", 32, 8, 32, 3, 2, 4, 10);

  @Test
  void deitShapesAreThePublishedOnes() {
    VitShape base = VitShape.named("deit-base");
    assertThat(base.dim()).isEqualTo(768);
    assertThat(base.heads()).isEqualTo(12);
    assertThat(base.tokens()).isEqualTo(197);
    assertThat(VitShape.named("deit-small").dim()).isEqualTo(384);
    assertThat(VitShape.named("deit-tiny").heads()).isEqualTo(3);
    assertThatThrownBy(() -> VitShape.named("deit-huge")).hasMessageContaining(VitShape.NAMES);
    assertThat(VitShape.named("dinov2-small"))
        .extracting(VitShape::dim, VitShape::depth, VitShape::head)
        .containsExactly(384, 12, VitShape.Head.CLS_AND_MEAN);
    assertThat(VitShape.named("meanpool-small").tokens()).isEqualTo(196);
    assertThat(VitShape.named("hf-vit-small").attention())
        .isEqualTo(VitShape.Attention.HUGGING_FACE);
  }

  @Test
  void eachHeadKindIsFoundWithItsTokenLayout() {
    for (VitShape.Head head : VitShape.Head.values()) {
      VitShape shape = SMALL.with("test-" + head, VitShape.Attention.HUGGING_FACE, head);
      ModelBundle bundle =
          ModelBundle.inMemory(
              shape.name(), SyntheticVit.build(shape, 2).toByteArray(), ModelSidecar.empty());
      try (SaliencyEngine engine =
          SaliencyEngine.open(bundle, DefaultOptions.engine(new int[] {3, 32, 32}, List.of()))) {
        assertThat(engine.facts().layout().prefix()).as(head.name()).isEqualTo(shape.prefix());
        assertThat(engine.facts().layout().cells()).isEqualTo(16);
        assertThat(engine.explain(new float[3 * 32 * 32], ExplainRequest.DEFAULT).logits())
            .hasSize(10);
      }
    }
  }

  @Test
  void theEngineServesItLikeAnExportedTimmModel() {
    ModelProto model = SyntheticVit.build(SMALL, 1);
    assertThat(model.getGraph().getNodeList())
        .filteredOn(n -> n.getOpType().equals("LayerNormalization"))
        .hasSize(2 * 3 + 1);
    ModelBundle bundle =
        ModelBundle.inMemory("test-vit", model.toByteArray(), ModelSidecar.empty());
    try (SaliencyEngine engine =
        SaliencyEngine.open(bundle, DefaultOptions.engine(new int[] {3, 32, 32}, List.of()))) {
      assertThat(engine.facts().layout().gridHeight()).isEqualTo(4);
      assertThat(engine.facts().layout().prefix()).isEqualTo(1);
      assertThat(engine.facts().classes()).isEqualTo(10);
      // The last block's first norm: the fifth LayerNormalization of seven.
      assertThat(engine.facts().cutNode())
          .isEqualTo(
              model.getGraph().getNodeList().stream()
                  .filter(n -> n.getOpType().equals("LayerNormalization"))
                  .toList()
                  .get(4)
                  .getName());
      assertThat(engine.hKind(MaskSpec.DEFAULT)).isEqualTo(HKind.FAST);
      Explanation e = engine.explain(new float[3 * 32 * 32], ExplainRequest.DEFAULT);
      assertThat(e.logits()).hasSize(10);
      for (float v : e.logits()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  /** Published parameter counts: DeiT-Ti 5.7 M, DeiT-S 22 M, DeiT-B 86 M, ViT-H/14 632 M. */
  @Test
  void parameterCountsAreThePublishedOnes() {
    assertThat(VitShape.named("deit-tiny").parameters()).isBetween(5_600_000L, 5_800_000L);
    assertThat(VitShape.named("deit-small").parameters()).isBetween(21_900_000L, 22_200_000L);
    assertThat(VitShape.named("deit-base").parameters()).isBetween(86_400_000L, 86_700_000L);
    assertThat(VitShape.named("vit-huge").parameters()).isBetween(630_000_000L, 634_000_000L);
    assertThat(4 * VitShape.named("vit-huge").parameters()).isGreaterThan(Integer.MAX_VALUE);
  }

  @Test
  void withExternalWeightsTheModelComputesTheSameLogits(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("model.onnx.data");
    ModelProto external = SyntheticVit.build(SMALL, 1, data);
    ModelProto inline = SyntheticVit.build(SMALL, 1);
    assertThat(external.getSerializedSize()).isLessThan(inline.getSerializedSize() / 4);
    assertThat(Files.size(data)).isGreaterThan(inline.getSerializedSize() * 3L / 4);
    float[] image = new float[3 * 32 * 32];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) Math.sin(i);
    }
    ModelBundle a =
        ModelBundle.inMemory(
            "ext",
            external.toByteArray(),
            ModelSidecar.empty(),
            new ExternalData(Optional.of(dir), List.of("model.onnx.data")));
    ModelBundle b = ModelBundle.inMemory("inline", inline.toByteArray(), ModelSidecar.empty());
    EngineOptions options = DefaultOptions.engine(new int[] {3, 32, 32}, List.of());
    try (SaliencyEngine ea = SaliencyEngine.open(a, options);
        SaliencyEngine eb = SaliencyEngine.open(b, options)) {
      assertThat(ea.explain(image, ExplainRequest.DEFAULT).logits())
          .containsExactly(eb.explain(image, ExplainRequest.DEFAULT).logits());
      assertThat(ea.hKind(MaskSpec.DEFAULT)).isEqualTo(HKind.FAST);
    }
  }
}
