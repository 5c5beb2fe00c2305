package org.vitaudit.model.graph;

import java.util.List;
import java.util.Optional;

/**
 * Writes the last block's attention for K query rows of every masked copy against all T keys of
 * that copy, without materialising the N masked copies of F. Every masked token's key and value are
 * affine in its mask weight m_nt, so for a query row q (H heads):
 *
 * <pre>
 *   logit_t = m_nt (q . F_t Wk) + q . bk          F Wk and F Wv are computed once, for F
 *             (+ the rows' part of a constant attention bias, where the model has one)
 *   out     = sum_t softmax(logit)_t (m_nt F_t Wv) + bv
 *   attn    = out Wo + bo                          [n, K, D]
 * </pre>
 *
 * Zeroed tokens get the key {@code bk} and value {@code bv}, exactly as in the generic H.
 */
final class MaskedAttentionRows {
  private final GraphWriter x;
  private final AttentionWeights w;
  private final int tokens;

  MaskedAttentionRows(GraphWriter x, AttentionWeights w, int tokens) {
    this.x = x;
    this.w = w;
    this.tokens = tokens;
  }

  /**
   * @param features F, [T, D]
   * @param weights4 the chunk's mask weights as [n, 1, 1, T]
   * @param rows the query rows' masked features, [1 or n, K, D] (1 where every copy shares them)
   * @param k K
   * @param biasRows the rows' part of a constant attention bias, already scaled, [.., K, T]
   * @return the attention output of the rows, [n, K, D]
   */
  String write(String features, String weights4, String rows, int k, Optional<String> biasRows) {
    int d = w.dim();
    int h = w.heads();
    String keysT =
        x.op(
            "Transpose",
            List.of(
                x.op(
                    "Reshape",
                    x.op("MatMul", features, x.floats("wk", w.wk(), d, w.inner())),
                    x.longs("shape_thk", tokens, h, w.headDim()))),
            Nodes.ints("perm", 1, 2, 0)); // [H, dh, T], no bias
    String values =
        x.op(
            "Transpose",
            List.of(
                x.op(
                    "Reshape",
                    x.op("MatMul", features, x.floats("wv", w.wv(), d, w.valueInner())),
                    x.longs("shape_thv", tokens, h, w.valueDim()))),
            Nodes.ints("perm", 1, 0, 2)); // [H, T, dv], no bias

    String queries =
        x.op(
            "Add",
            x.op("MatMul", rows, x.floats("wq", w.wq(), d, w.inner())),
            x.floats("bq", w.bq(), w.inner()));
    String q =
        x.op(
            "Transpose",
            List.of(x.op("Reshape", queries, x.longs("shape_nkhd", -1, k, h, w.headDim()))),
            Nodes.ints("perm", 0, 2, 1, 3)); // [1 or n, H, K, dh]

    String scores = x.op("MatMul", q, keysT); // [1 or n, H, K, T]: q . F_t Wk
    String biasScores =
        x.op("MatMul", q, x.floats("bk", w.bk(), h, w.headDim(), 1)); // [1 or n, H, K, 1]: q . bk
    String logits = x.op("Add", x.op("Mul", weights4, scores), biasScores); // [n, H, K, T]
    if (biasRows.isPresent()) {
      logits = x.op("Add", logits, biasRows.get());
    }
    String attention = x.op("Softmax", List.of(logits), Nodes.integer("axis", -1));
    String context =
        x.op(
            "Add",
            x.op("MatMul", x.op("Mul", attention, weights4), values),
            x.floats("bv", w.bv(), h, 1, w.valueDim())); // [n, H, K, dv]
    String merged =
        x.op(
            "Reshape",
            x.op("Transpose", List.of(context), Nodes.ints("perm", 0, 2, 1, 3)),
            x.longs("shape_nkv", -1, k, w.valueInner()));
    return x.op(
        "Add",
        x.op("MatMul", merged, x.floats("wo", w.wo(), w.valueInner(), d)),
        x.floats("bo", w.bo(), d));
  }
}
