package org.vitaudit.model.graph;

import java.util.List;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * The output z of the cut block, {@code z = y + MLP(LN2(y))}: the block's second residual Add,
 * found as the Add that reads y (the first residual's output) and something computed from y.
 * Everything between y and z works token by token in a ViT block; what reads z is the head.
 */
public final class BlockOutput {
  private BlockOutput() {}

  public static String find(OnnxGraph graph, Cut cut) {
    String y = cut.residualAdd().getOutput(0);
    Set<String> fromY = graph.descendants(y);
    List<NodeProto> adds =
        graph.consumers(y).stream()
            .filter(n -> n.getOpType().equals("Add"))
            .filter(n -> fromY.contains(n.getInput(0).equals(y) ? n.getInput(1) : n.getInput(0)))
            .toList();
    if (adds.size() != 1) {
      throw new ModelNotSupportedException(
          "the cut block's output is not one residual Add after its MLP ("
              + adds.size()
              + " candidates)");
    }
    return adds.get(0).getOutput(0);
  }
}
