package org.vitaudit.model.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

class ProvenValuesTest {
  /** Dynamo's attention mask bias: Where(Expand(keep, shape read at run time), 0, -3.4e38). */
  private static ProvenValues maskBias(boolean... keep) {
    byte[] bytes = new byte[keep.length];
    for (int i = 0; i < keep.length; i++) {
      bytes[i] = (byte) (keep[i] ? 1 : 0);
    }
    GraphProto g =
        GraphProto.newBuilder()
            .addInput(Nodes.value("scores", TensorProto.DataType.FLOAT, "b", 2L, 3L, 3L))
            .addInitializer(
                TensorProto.newBuilder()
                    .setName("keep")
                    .setDataType(TensorProto.DataType.BOOL_VALUE)
                    .addAllDims(List.of(1L, 1L, 1L, (long) keep.length))
                    .setRawData(ByteString.copyFrom(bytes)))
            .addInitializer(Tensors.floatTensor("zero", new float[] {0f}))
            .addInitializer(Tensors.floatTensor("min", new float[] {-3.4e38f}))
            .addInitializer(Tensors.floatTensor("zeros", new float[] {0f, 0f, 0f}, 3))
            .addNode(Nodes.node("Shape", "shape", "scores"))
            .addNode(Nodes.node("Expand", "mask", "keep", "shape"))
            .addNode(Nodes.node("Where", "bias", "mask", "zero", "min"))
            .addNode(Nodes.node("Not", "dropped", "mask"))
            .addNode(Nodes.node("Where", "bias_by_false", "keep", "min", "zero"))
            .addNode(Nodes.node("Cast", "zeros_as_double", "zeros"))
            .build();
    return new ProvenValues(new OnnxGraph(ModelProto.newBuilder().setGraph(g).build()));
  }

  @Test
  void aMaskBiasThatKeepsEveryTokenIsAllZeros() {
    ProvenValues v = maskBias(true, true, true);
    assertThat(v.allZero("bias")).isTrue();
    assertThat(v.allOne("mask")).isTrue();
    assertThat(v.allZero("zeros_as_double")).isTrue();
  }

  @Test
  void anythingElseIsNotProven() {
    ProvenValues v = maskBias(true, false, true);
    assertThat(v.allZero("bias")).as("a hidden token gets -3.4e38").isFalse();
    assertThat(v.allOne("mask")).isFalse();
    assertThat(v.allZero("bias_by_false"))
        .as("the false branch is zero, but the condition is not all false")
        .isFalse();
    assertThat(v.allZero("dropped")).as("Not is not followed").isFalse();
    assertThat(v.allZero("scores")).as("a graph input").isFalse();
  }

  @Test
  void aConditionThatIsAllFalseSelectsTheOtherBranch() {
    assertThat(maskBias(false, false, false).allZero("bias_by_false")).isTrue();
  }
}
