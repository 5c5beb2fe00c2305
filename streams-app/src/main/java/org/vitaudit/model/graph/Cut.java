package org.vitaudit.model.graph;

import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Where the model is split: F is the output of LN1 of the last pre-norm block, X that block's input.
 *
 * @param nodeName the cut node (LN1's output node), as {@code --cut-node} names it
 * @param features F, the tensor G exposes and H receives
 * @param blockInput X, LN1's input; H's first residual takes the masked F in its place
 * @param residualAdd the block's first residual {@code Add(X, Attn(F))}
 */
public record Cut(String nodeName, String features, String blockInput, NodeProto residualAdd) {}
