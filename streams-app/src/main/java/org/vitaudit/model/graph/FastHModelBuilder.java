package org.vitaudit.model.graph;

import java.util.Arrays;
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
 * Builds the fast exact H: per masked copy, only a few rows of the last block are computed ({@link
 * TokenRows}), their attention against all T masked keys without materialising the copies ({@link
 * MaskedAttentionRows}), then the model's own layers after the attention run on those rows.
 *
 * <ul>
 *   <li>{@link Form#PREFIX_ROWS}: the P prefix rows go on through residual, LN2, MLP, final norm
 *       and head. Exact where the head reads only prefix rows (CLS, distillation token).
 *   <li>{@link Form#DISTINCT_ROWS}: the kept tokens' rows and one row for all zeroed tokens go
 *       through the block; a constant index then spreads them back to [n, T, D], and the model's
 *       own final norm, pooling and head run unchanged. Exact for any head (mean pooling, CLS +
 *       mean).
 * </ul>
 *
 * The residual adds the rows' masked features (the default reading, seed equation 4). Inputs and
 * output are the generic H's, so either runs behind the same code.
 */
public final class FastHModelBuilder {
  /** Which rows the fast H computes; the engine tries them in this order, cheapest first. */
  public enum Form {
    PREFIX_ROWS("prefix rows"),
    DISTINCT_ROWS("distinct rows");

    private final String description;

    Form(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private final OnnxGraph graph;
  private final Cut cut;
  private final AttentionSite site;
  private final GraphWriter x;
  private final String axis0;

  private FastHModelBuilder(OnnxGraph graph, Cut cut, AttentionSite site, GraphWriter x) {
    this.graph = graph;
    this.cut = cut;
    this.site = site;
    this.x = x;
    this.axis0 = x.longs("axis0", 0);
  }

  public static ModelProto build(
      Form form,
      OnnxGraph graph,
      Cut cut,
      AttentionSite site,
      AttentionWeights w,
      float[] masks,
      TokenLayout layout) {
    TokenRows rows = rows(form, site, masks, layout);
    int t = layout.tokens();
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("reciprocam_fast_h")
            .addInput(
                Nodes.value(
                    GenericHModelBuilder.FEATURES,
                    TensorProto.DataType.FLOAT,
                    1L,
                    (long) t,
                    (long) w.dim()))
            .addInput(Nodes.value(GenericHModelBuilder.CHUNK_START, TensorProto.DataType.INT64, 1L))
            .addInput(Nodes.value(GenericHModelBuilder.CHUNK_END, TensorProto.DataType.INT64, 1L));
    String out = graph.model().getGraph().getOutput(0).getName();
    new FastHModelBuilder(graph, cut, site, new GraphWriter(g, "fast_"))
        .write(form, w, masks, rows, out);
    g.addOutput(Nodes.value(out, TensorProto.DataType.FLOAT, "copies", "classes"));
    return GraphWriter.model(graph.model(), g);
  }

  private static TokenRows rows(Form form, AttentionSite site, float[] masks, TokenLayout layout) {
    return switch (form) {
      case PREFIX_ROWS -> {
        if (layout.prefix() < 1) {
          throw new ModelNotSupportedException(
              "the head pools every token (no prefix token carries the prediction)");
        }
        yield TokenRows.prefix(masks, layout.cells(), layout.tokens(), layout.prefix());
      }
      case DISTINCT_ROWS -> {
        if (site.bias().isPresent()) {
          // Zeroed tokens then differ by their bias rows: no row stands for them all.
          throw new ModelNotSupportedException(
              "a constant attention bias gives every zeroed token its own row");
        }
        yield TokenRows.distinct(masks, layout.cells(), layout.tokens());
      }
    };
  }

  private void write(Form form, AttentionWeights w, float[] masks, TokenRows rows, String out) {
    int t = rows.tokens();
    int d = w.dim();
    String weights = chunk(x.floats("masks", masks, rows.copies(), t)); // [n, T]
    String weights4 = x.op("Reshape", weights, x.longs("shape_n11t", -1, 1, 1, t));
    String f = x.op("Reshape", GenericHModelBuilder.FEATURES, x.longs("shape_td", t, d)); // [T, D]
    String rowFeatures = rowFeatures(f, rows, d); // also what the residual adds
    String attnOut =
        new MaskedAttentionRows(x, w, t)
            .write(f, weights4, rowFeatures, rows.rows(), biasRows(rows.rows()));
    Map<String, String> boundary = Map.of(site.output(), attnOut, cut.blockInput(), rowFeatures);
    if (form == Form.PREFIX_ROWS) {
      x.addAll(afterTheAttention(out, boundary));
      return;
    }
    String z = BlockOutput.find(graph, cut);
    x.addAll(afterTheAttention(z, boundary)); // [n, K, D]
    String spread = spread(z, rows, d);
    Subgraph head = Subgraph.extract(graph, List.of(out), Map.of(z, spread), Optional.of(spread));
    checkNoneRecomputed(head, computedBefore(List.of(z), Set.of()), "the head");
    x.addAll(head);
  }

  /** Rows [chunk start, chunk end) of a constant [N, ...] tensor. */
  private String chunk(String perCopy) {
    return x.op(
        "Slice", perCopy, GenericHModelBuilder.CHUNK_START, GenericHModelBuilder.CHUNK_END, axis0);
  }

  /** The rows' masked features, [1, K, D] where every copy shares its rows, else [n, K, D]. */
  private String rowFeatures(String f, TokenRows rows, int d) {
    int k = rows.rows();
    if (rows.shared()) {
      String source = x.longs("row_source", Arrays.copyOf(rows.source(), k));
      String picked = x.op("Gather", List.of(f, source), Nodes.integer("axis", 0));
      return x.op(
          "Reshape",
          x.op("Mul", picked, x.floats("row_weight", Arrays.copyOf(rows.weight(), k), k, 1)),
          x.longs("shape_1kd", 1, k, d));
    }
    String source = chunk(x.longTensor("row_source", rows.source(), rows.copies(), k));
    String weight = chunk(x.floats("row_weight", rows.weight(), rows.copies(), k, 1));
    return x.op("Mul", x.op("Gather", List.of(f, source), Nodes.integer("axis", 0)), weight);
  }

  /**
   * The rows' part of a constant attention bias, scaled as on its way to the softmax (prefix rows
   * only).
   */
  private Optional<String> biasRows(int k) {
    if (site.bias().isEmpty()) {
      return Optional.empty();
    }
    String bias = site.bias().get();
    graph.initializers().values().stream()
        .filter(i -> i.getName().equals(bias))
        .findFirst()
        .ifPresentOrElse(
            x.graph()::addInitializer, () -> x.add(graph.producer(bias).orElseThrow()));
    String rows =
        x.op(
            "Slice",
            bias,
            x.longs("bias_first", 0),
            x.longs("bias_end", k),
            x.longs("axis_rows", -2));
    return Optional.of(x.op("Mul", rows, x.floats("bias_scale", new float[] {site.biasScale()})));
  }

  /** The block's rows [n, K, D] spread back over the tokens, [n, T, D]. */
  private String spread(String blockRows, TokenRows rows, int d) {
    int n = rows.copies();
    int t = rows.tokens();
    long[] flat =
        new long[n * t]; // token i of copy c is row c * K + tokenToRow of the [N * K, D] rows
    for (int c = 0; c < n; c++) {
      for (int i = 0; i < t; i++) {
        flat[c * t + i] = (long) c * rows.rows() + rows.tokenToRow()[c * t + i];
      }
    }
    // The chunk holds copies [start, end): its rows start at start * K.
    String offset =
        x.op("Mul", GenericHModelBuilder.CHUNK_START, x.longs("rows_per_copy", rows.rows()));
    String index = x.op("Sub", chunk(x.longTensor("token_to_row", flat, n, t)), offset);
    return x.op(
        "Gather",
        List.of(x.op("Reshape", blockRows, x.longs("shape_rows_d", -1, d)), index),
        Nodes.integer("axis", 0));
  }

  /**
   * The model's own layers from the attention output (and the residual's input) up to {@code end}.
   */
  private Subgraph afterTheAttention(String end, Map<String, String> boundary) {
    Subgraph rest =
        Subgraph.extract(graph, List.of(end), boundary, Optional.of(boundary.get(site.output())));
    checkNoneRecomputed(
        rest,
        computedBefore(List.of(site.output(), cut.features()), Set.of(cut.blockInput())),
        "the layers after the attention");
    return rest;
  }

  /** Tensors computed on the way to {@code ends} (not past {@code stop}), Constants aside. */
  private Set<String> computedBefore(List<String> ends, Set<String> stop) {
    Set<String> before = new HashSet<>();
    for (NodeProto node : graph.ancestorsUpTo(ends, stop)) {
      if (!node.getOpType().equals("Constant")) {
        before.addAll(node.getOutputList());
      }
    }
    return before;
  }

  /** A reused part must start at its boundary: none of its nodes may redo work from before it. */
  private static void checkNoneRecomputed(Subgraph part, Set<String> before, String what) {
    for (NodeProto node : part.nodes()) {
      if (node.getOutputList().stream().anyMatch(before::contains)) {
        throw new ModelNotSupportedException(
            what + " read " + OnnxGraph.describe(node) + " from before it");
      }
    }
  }
}
