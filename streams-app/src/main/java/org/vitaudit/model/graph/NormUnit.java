package org.vitaudit.model.graph;

import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * One layer normalisation in a graph, whether a single {@code LayerNormalization} op or the chain
 * older opsets decompose it into.
 *
 * @param input the tensor being normalised
 * @param output the normalised tensor (after scale and shift)
 * @param outputNode the node producing {@code output}; its name is what {@code --cut-node} takes
 * @param firstNode the first node of the unit, for ordering
 */
public record NormUnit(String input, String output, NodeProto outputNode, NodeProto firstNode) {
  public String name() {
    return outputNode.getName().isEmpty() ? output : outputNode.getName();
  }

  public boolean decomposed() {
    return !outputNode.getOpType().equals("LayerNormalization");
  }
}
