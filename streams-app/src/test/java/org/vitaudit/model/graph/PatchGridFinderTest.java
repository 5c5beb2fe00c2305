package org.vitaudit.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.proto.Onnx;

class PatchGridFinderTest {
  @Test
  void patchifyByReshapeUsesTheStrideThatLeavesFewestPrefixTokens() {
    // The MNIST ViT: 28x28, patch 4, 49 patches + CLS, no Conv.
    assertThat(PatchGridFinder.fromDividingStride(28, 28, 50)).contains(new TokenLayout(1, 7, 7));
    // Non-square, distilled: 160x224 with patch 16 is 10x14 plus two prefix tokens.
    assertThat(PatchGridFinder.fromDividingStride(160, 224, 142))
        .contains(new TokenLayout(2, 10, 14));
  }

  @Test
  void noStrideFitsATokenCountThatIsNoGrid() {
    assertThat(PatchGridFinder.fromDividingStride(28, 28, 40)).isEmpty();
    assertThatThrownBy(
            () ->
                PatchGridFinder.find(
                    new OnnxGraph(
                        Onnx.ModelProto.newBuilder()
                            .setGraph(Onnx.GraphProto.getDefaultInstance())
                            .build()),
                    new Cut("n", "f", "x", Onnx.NodeProto.getDefaultInstance(), true),
                    28,
                    28,
                    40))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("\"grid\"");
  }
}
