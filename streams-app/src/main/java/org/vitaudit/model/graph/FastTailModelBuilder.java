package org.vitaudit.model.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Builds the fast exact H for models whose head reads only prefix tokens (CLS, distillation).
 *
 * <p>Only the prefix rows of the last block's output reach the head, and every masked copy differs
 * from F only by one weight per token. So for copy n and prefix row r (H heads, P prefix rows):
 * <pre>
 *   q_r      = (m_r F_r) Wq + bq                  same for every copy (prefix weights are fixed)
 *   logit    = m_nt (q_r . F_t Wk) + q_r . bk     [n,H,P,T]: keys are affine in the mask weight
 *              (+ the prefix rows of a constant attention bias, where the model has one)
 *   out      = sum_t softmax(logit)_t (m_nt F_t Wv) + bv
 *   attn     = out Wo + bo                        [n,P,D]
 *   x~_r     = m_nr F_r                           the residual adds the masked features (seed eq. 4)
 * </pre>
 * Zeroed tokens all get the key {@code bk} and value {@code bv}; the dense form above gives them
 * exactly that. The model's own layers after the attention (residual, LN2, MLP, final norm, head)
 * then run on the P prefix rows instead of all T tokens: a small fraction of the generic H's work.
 * Inputs and output are the generic H's, so either runs behind the same code.
 */
public final class FastTailModelBuilder {
  private FastTailModelBuilder() {}

  public static ModelProto build(OnnxGraph graph, Cut cut, AttentionSite site, AttentionWeights w,
      float[] masks, TokenLayout layout) {
    int t = layout.tokens();
    int p = layout.prefix();
    int n = layout.cells();
    int d = w.dim();
    int h = w.heads();
    if (p < 1) {
      throw new ModelNotSupportedException("the head pools every token (no prefix token carries the prediction)");
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName("reciprocam_fast_tail")
        .addInput(Nodes.value(TailModelBuilder.FEATURES, TensorProto.DataType.FLOAT, 1L, (long) t, (long) d))
        .addInput(Nodes.value(TailModelBuilder.CHUNK_START, TensorProto.DataType.INT64, 1L))
        .addInput(Nodes.value(TailModelBuilder.CHUNK_END, TensorProto.DataType.INT64, 1L));
    GraphWriter x = new GraphWriter(g, "fast_");
    String axis0 = x.longs("axis0", 0);
    String axis1 = x.longs("axis1", 1);
    String zero = x.longs("zero", 0);
    String prefixEnd = x.longs("prefix_end", p);

    // [n, T] mask weights of this chunk, and the same as [n, 1, 1, T] for broadcasting over heads and rows.
    String weights = x.op("Slice", x.floats("masks", masks, n, t), TailModelBuilder.CHUNK_START,
        TailModelBuilder.CHUNK_END, axis0);
    String weights4 = x.op("Reshape", weights, x.longs("shape_n11t", -1, 1, 1, t));

    String f = x.op("Reshape", TailModelBuilder.FEATURES, x.longs("shape_td", t, d)); // [T, D]
    String keysT = x.op("Transpose", List.of(x.op("Reshape", x.op("MatMul", f, x.floats("wk", w.wk(), d, w.inner())),
        x.longs("shape_thk", t, h, w.headDim()))), Nodes.ints("perm", 1, 2, 0)); // [H, dh, T], no bias
    String values = x.op("Transpose", List.of(x.op("Reshape", x.op("MatMul", f, x.floats("wv", w.wv(), d, w.valueInner())),
        x.longs("shape_thv", t, h, w.valueDim()))), Nodes.ints("perm", 1, 0, 2)); // [H, T, dv], no bias

    String fp = x.op("Slice", f, zero, prefixEnd, axis0); // [P, D]
    float[] prefixWeights = prefixWeights(masks, n, t, p);
    String queries = x.op("Add", x.op("MatMul", x.op("Mul", fp, x.floats("prefix_weights", prefixWeights, p, 1)),
        x.floats("wq", w.wq(), d, w.inner())), x.floats("bq", w.bq(), w.inner()));
    String q = x.op("Transpose", List.of(x.op("Reshape", queries, x.longs("shape_phk", p, h, w.headDim()))),
        Nodes.ints("perm", 1, 0, 2)); // [H, P, dh]

    String scores = x.op("MatMul", q, keysT); // [H, P, T]: q . F_t Wk
    String biasScores = x.op("MatMul", q, x.floats("bk", w.bk(), h, w.headDim(), 1)); // [H, P, 1]: q . bk
    String logits = x.op("Add", x.op("Mul", weights4, scores), biasScores); // [n, H, P, T]
    if (site.bias().isPresent()) {
      // The prefix rows of a constant attention bias, [.., P, T] broadcast over copies and heads.
      String rows = x.op("Slice", site.bias().get(), zero, prefixEnd, x.longs("axis_rows", -2));
      logits = x.op("Add", logits, x.op("Mul", rows, x.floats("bias_scale", new float[] {site.biasScale()})));
      graph.initializers().values().stream().filter(i -> i.getName().equals(site.bias().get())).findFirst()
          .ifPresentOrElse(g::addInitializer, () -> g.addNode(graph.producer(site.bias().get()).orElseThrow()));
    }
    String attention = x.op("Softmax", List.of(logits), Nodes.integer("axis", -1));
    String context = x.op("Add", x.op("MatMul", x.op("Mul", attention, weights4), values),
        x.floats("bv", w.bv(), h, 1, w.valueDim())); // [n, H, P, dv]
    String merged = x.op("Reshape", x.op("Transpose", List.of(context), Nodes.ints("perm", 0, 2, 1, 3)),
        x.longs("shape_npv", -1, p, w.valueInner()));
    String attnOut = x.op("Add", x.op("MatMul", merged, x.floats("wo", w.wo(), w.valueInner(), d)),
        x.floats("bo", w.bo(), d)); // [n, P, D]
    String prefixRows = x.op("Mul", x.op("Reshape", x.op("Slice", weights, zero, prefixEnd, axis1),
        x.longs("shape_np1", -1, p, 1)), fp); // [n, P, D]: the masked features the residual adds

    String out = graph.model().getGraph().getOutput(0).getName();
    Subgraph rest = Subgraph.extract(graph, List.of(out), Map.of(site.output(), attnOut, cut.blockInput(), prefixRows),
        Optional.of(attnOut));
    checkRestIsAfterTheAttention(graph, cut, site, rest);
    x.addAll(rest);
    g.addOutput(Nodes.value(out, TensorProto.DataType.FLOAT, "copies", "classes"));
    return GraphWriter.model(graph.model(), g);
  }

  /** Every copy keeps the same prefix weights (all kept or all zeroed); read them from copy 0. */
  private static float[] prefixWeights(float[] masks, int n, int t, int p) {
    float[] w = new float[p];
    for (int r = 0; r < p; r++) {
      w[r] = masks[r];
      for (int k = 1; k < n; k++) {
        if (masks[k * t + r] != w[r]) {
          throw new IllegalArgumentException("prefix token weights differ between copies");
        }
      }
    }
    return w;
  }

  /** The reused layers must start at the residual: none may read F again or redo the attention. */
  private static void checkRestIsAfterTheAttention(OnnxGraph graph, Cut cut, AttentionSite site, Subgraph rest) {
    Set<String> before = new HashSet<>();
    for (NodeProto node : graph.ancestorsUpTo(List.of(site.output(), cut.features()), Set.of(cut.blockInput()))) {
      if (!node.getOpType().equals("Constant")) {
        before.addAll(node.getOutputList());
      }
    }
    for (NodeProto node : rest.nodes()) {
      if (node.getOutputList().stream().anyMatch(before::contains)) {
        throw new ModelNotSupportedException("the layers after the attention read " + OnnxGraph.describe(node)
            + " from before it");
      }
    }
  }
}
