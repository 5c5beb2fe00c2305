package org.vitaudit.model.graph;

import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Where the model is split: F is the output of LN1 of the last pre-norm block, X that block's input.
 *
 * @param nodeName the cut node (LN1's output node), as {@code --cut-node} names it
 * @param features the tensor G exposes and H receives: F, or X for the block-output variant
 * @param blockInput X, LN1's input; H's first residual takes the masked features in its place
 * @param residualAdd the block's first residual {@code Add(X, Attn(F))}
 */
public record Cut(String nodeName, String features, String blockInput, NodeProto residualAdd) {

  /** True where the features are LN1's output (the default), false where they are the block's input. */
  public boolean afterNorm() {
    return !features.equals(blockInput);
  }

  /**
   * The paper's Table 4 variant: features from the previous block's output (the last block's
   * input X), so H runs the whole last block, LN1 included, on the masked copies.
   */
  public Cut atBlockInput() {
    return new Cut(nodeName, blockInput, blockInput, residualAdd);
  }
}
