package org.vitaudit.model.graph;

/**
 * The last block's attention as affine maps per token, read from the graph by probing it: the scale
 * before the softmax is folded into the queries. Matrices are row-major [in, out] and the inner
 * index is {@code head * headDim + d}.
 */
public record AttentionWeights(
    int dim,
    int heads,
    int headDim,
    int valueDim,
    float[] wq,
    float[] bq,
    float[] wk,
    float[] bk,
    float[] wv,
    float[] bv,
    float[] wo,
    float[] bo) {

  public int inner() {
    return heads * headDim;
  }

  public int valueInner() {
    return heads * valueDim;
  }
}
