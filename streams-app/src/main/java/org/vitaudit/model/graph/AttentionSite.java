package org.vitaudit.model.graph;

import java.util.Optional;

/**
 * Where the last block's self-attention sits in the graph, between F and the first residual Add:
 * {@code softmax(scale * (Q @ K)) @ V -> O -> output projection -> attention output}.
 *
 * @param queries Q as the score MatMul reads it, [..., T, dh] (any scaling before the MatMul
 *     included)
 * @param keys K as the score MatMul reads it, [..., dh, T]
 * @param values V as the context MatMul reads it, [..., T, dh]
 * @param context O, the context MatMul's output, [..., T, dh]
 * @param output the attention output the residual adds, [1, T, D]
 * @param scale constant factor between the score MatMul and the softmax
 * @param bias a constant added to the scores before the softmax ([T,T] or [heads,T,T], with any
 *     leading 1s), e.g. a local or relative position bias
 * @param biasScale the factor the bias is multiplied by on its way to the softmax
 */
public record AttentionSite(
    String queries,
    String keys,
    String values,
    String context,
    String output,
    float scale,
    Optional<String> bias,
    float biasScale) {}
