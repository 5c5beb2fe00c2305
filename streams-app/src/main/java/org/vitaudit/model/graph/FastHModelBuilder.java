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
 * The first residual adds what the generic H's adds, taken for the same rows ({@link
 * ResidualSource}): the rows' masked features (the default, seed equation 4), the rows of the block
 * input X scaled by their mask weights, or X's rows unscaled. A prefix row has the same weight in
 * every copy, so its residual is one row for all copies whatever the reading. Distinct rows cannot
 * serve the unscaled X: every zeroed token would add its own X row, so no row stands for them all.
 * Inputs and output are the generic H's (X as its third input where the residual reads it), so
 * either runs behind the same code.
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
      ResidualSource residual,
      float[] masks,
      TokenLayout layout) {
    TokenRows rows = rows(form, site, residual, masks, layout);
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
    if (residual.needsBlockInput()) {
      g.addInput(
          Nodes.value(
              GenericHModelBuilder.BLOCK_INPUT,
              TensorProto.DataType.FLOAT,
              1L,
              (long) t,
              (long) w.dim()));
    }
    String out = graph.model().getGraph().getOutput(0).getName();
    new FastHModelBuilder(graph, cut, site, new GraphWriter(g, "fast_"))
        .write(form, w, residual, masks, rows, out);
    g.addOutput(Nodes.value(out, TensorProto.DataType.FLOAT, "copies", "classes"));
    return GraphWriter.model(graph.model(), g);
  }

  private static TokenRows rows(
      Form form, AttentionSite site, ResidualSource residual, float[] masks, TokenLayout layout) {
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
        if (residual == ResidualSource.BLOCK_INPUT) {
          // Zeroed tokens then differ by their own X rows, which LN2 and the MLP keep apart.
          throw new ModelNotSupportedException(
              "the unmasked block input in the residual gives every zeroed token its own row");
        }
        yield TokenRows.distinct(masks, layout.cells(), layout.tokens());
      }
    };
  }

  private void write(
      Form form,
      AttentionWeights w,
      ResidualSource residual,
      float[] masks,
      TokenRows rows,
      String out) {
    int t = rows.tokens();
    int d = w.dim();
    String weights = chunk(x.floats("masks", masks, rows.copies(), t)); // [n, T]
    String weights4 = x.op("Reshape", weights, x.longs("shape_n11t", -1, 1, 1, t));
    String shapeTd = x.longs("shape_td", t, d);
    String f = x.op("Reshape", GenericHModelBuilder.FEATURES, shapeTd); // [T, D]
    RowIndex index = rowIndex(rows);
    String rowFeatures = scaled(index, f);
    String attnOut =
        new MaskedAttentionRows(x, w, t)
            .write(f, weights4, rowFeatures, rows.rows(), biasRows(rows.rows()));
    Map<String, String> boundary =
        Map.of(
            site.output(),
            attnOut,
            cut.blockInput(),
            residualRows(residual, index, rowFeatures, shapeTd));
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

  /** What the first residual adds for the rows, as the generic H's residual adds it for all. */
  private String residualRows(
      ResidualSource residual, RowIndex index, String rowFeatures, String shapeTd) {
    return switch (residual) {
      case MASKED_FEATURES -> rowFeatures;
      case MASKED_INPUT -> scaled(index, blockInput(shapeTd));
      case BLOCK_INPUT -> picked(index, blockInput(shapeTd));
    };
  }

  /** X, H's third input, as [T, D]. */
  private String blockInput(String shapeTd) {
    return x.op("Reshape", GenericHModelBuilder.BLOCK_INPUT, shapeTd);
  }

  /**
   * The rows' tokens and mask weights as constants: [K] and [K, 1] where every copy shares its
   * rows, else the chunk's [n, K] and [n, K, 1].
   */
  private RowIndex rowIndex(TokenRows rows) {
    int k = rows.rows();
    if (rows.shared()) {
      return new RowIndex(
          x.longs("row_source", Arrays.copyOf(rows.source(), k)),
          x.floats("row_weight", Arrays.copyOf(rows.weight(), k), k, 1),
          Optional.of(x.longs("shape_1kd", 1, k, -1)));
    }
    return new RowIndex(
        chunk(x.longTensor("row_source", rows.source(), rows.copies(), k)),
        chunk(x.floats("row_weight", rows.weight(), rows.copies(), k, 1)),
        Optional.empty());
  }

  /**
   * The constants that pick the rows' tokens and weights.
   *
   * @param shared1kd the shape [1, K, -1], where every copy shares its rows
   */
  private record RowIndex(String source, String weight, Optional<String> shared1kd) {}

  /**
   * The rows of a [T, D] tensor (F or X): [1, K, D] where every copy shares them, else [n, K, D].
   */
  private String picked(RowIndex index, String tokens) {
    return shaped(index, gathered(index, tokens));
  }

  /** The same rows, each scaled by its token's mask weight in the copy. */
  private String scaled(RowIndex index, String tokens) {
    return shaped(index, x.op("Mul", gathered(index, tokens), index.weight()));
  }

  private String gathered(RowIndex index, String tokens) {
    return x.op("Gather", List.of(tokens, index.source()), Nodes.integer("axis", 0));
  }

  private String shaped(RowIndex index, String rows) {
    return index.shared1kd().map(shape -> x.op("Reshape", rows, shape)).orElse(rows);
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
