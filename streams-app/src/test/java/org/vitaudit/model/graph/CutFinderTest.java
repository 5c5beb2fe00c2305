package org.vitaudit.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.testing.Fixture;

class CutFinderTest {
  private static OnnxGraph graph(String stem) throws Exception {
    return new OnnxGraph(ModelProto.parseFrom(Files.readAllBytes(Fixture.named(stem).onnx())));
  }

  @Test
  void findsTheDecomposedLayerNormOfOlderOpsets() throws Exception {
    OnnxGraph g = graph("timm_vit_opset14");
    assertThat(g.nodes()).noneMatch(n -> n.getOpType().equals("LayerNormalization"));
    // Two blocks of two norms, plus the final norm.
    assertThat(new NormFinder(g).find()).hasSize(5).allMatch(NormUnit::decomposed);
    Cut cut = new CutFinder(g).find(Optional.empty());
    assertThat(cut.features())
        .isEqualTo(Fixture.named("timm_vit_opset14").oracle().get("ln1_output").asText());
  }

  @Test
  void findsTheResidualWhicheverOperandOrderTheExporterWrote() throws Exception {
    // timm writes Add(x, attn), Hugging Face Add(attn, x).
    for (String stem : new String[] {"timm_vit", "hf_vit"}) {
      Cut cut = new CutFinder(graph(stem)).find(Optional.empty());
      assertThat(cut.residualAdd().getInputList()).contains(cut.blockInput());
    }
  }

  @Test
  void aNamedCutNodeOverridesTheSearch() throws Exception {
    OnnxGraph g = graph("timm_vit");
    Cut cut = new CutFinder(g).find(Optional.of("/blocks/blocks.0/norm1/LayerNormalization"));
    assertThat(cut.nodeName()).isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
    assertThat(cut.features()).isEqualTo("/blocks/blocks.0/norm1/LayerNormalization_output_0");
  }

  @Test
  void knowsWhetherTheCutIsAtTheLastBlockWhetherSearchedOrNamed() throws Exception {
    CutFinder finder = new CutFinder(graph("timm_vit"));
    assertThat(finder.find(Optional.empty(), 1).lastBlock()).isTrue();
    assertThat(finder.find(Optional.empty(), 2).lastBlock()).isFalse();
    assertThat(finder.find(Optional.of("/blocks/blocks.1/norm1/LayerNormalization")).lastBlock())
        .isTrue();
    assertThat(finder.find(Optional.of("/blocks/blocks.0/norm1/LayerNormalization")).lastBlock())
        .isFalse();
    assertThat(finder.find(Optional.empty(), 2).nodeName())
        .isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
  }

  @Test
  void refusesPostNormBlocksNamingWhatItFound() throws Exception {
    assertThatThrownBy(() -> new CutFinder(graph("postnorm_vit")).find(Optional.empty()))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("found 4 LayerNorm(s) but none is a pre-norm")
        .hasMessageContaining("post-norm")
        .hasMessageContaining("--cut-node");
  }

  @Test
  void refusesModelsWithoutLayerNorm() throws Exception {
    assertThatThrownBy(() -> new CutFinder(graph("batchnorm_vit")).find(Optional.empty()))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("no LayerNorm found")
        .hasMessageContaining("BatchNormalization")
        .hasMessageContaining("--cut-node");
  }

  @Test
  void refusesACutNodeThatDoesNotExist() throws Exception {
    assertThatThrownBy(() -> new CutFinder(graph("timm_vit")).find(Optional.of("/no/such/node")))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("'/no/such/node' does not exist")
        .hasMessageContaining("/blocks/blocks.1/norm1/LayerNormalization");
  }

  @Test
  void refusesACutNodeThatIsNotAPreNorm() throws Exception {
    assertThatThrownBy(
            () -> new CutFinder(graph("timm_vit")).find(Optional.of("/norm/LayerNormalization")))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("not the first norm of a pre-norm block");
  }
}
