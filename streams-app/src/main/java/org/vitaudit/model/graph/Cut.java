package org.vitaudit.model.graph;

import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Where the model is split: F is the output of LN1 of a pre-norm block (the last one unless asked
 * otherwise), X that block's input.
 *
 * @param nodeName the cut node (LN1's output node), as {@code --cut-node} names it
 * @param features the tensor G exposes and H receives: F, or X for the block-output variant
 * @param blockInput X, LN1's input; the block's first residual Add reads it
 * @param residualAdd the block's first residual {@code Add(X, Attn(F))}
 * @param lastBlock whether no pre-norm block follows this one, so only the head comes after it
 */
public record Cut(
    String nodeName, String features, String blockInput, NodeProto residualAdd, boolean lastBlock) {

  /**
   * True where the features are LN1's output (the default), false where they are the block's input.
   */
  public boolean afterNorm() {
    return !features.equals(blockInput);
  }

  /**
   * The paper's Table 4 variant: features from the previous block's output (this block's input X),
   * so H runs the whole block, LN1 included, on the masked copies.
   */
  public Cut atBlockInput() {
    return new Cut(nodeName, blockInput, blockInput, residualAdd, lastBlock);
  }
}
