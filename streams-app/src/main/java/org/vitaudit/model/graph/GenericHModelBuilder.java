package org.vitaudit.model.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Builds the generic H: the layers of the model after the cut, fed with masked copies of F.
 *
 * <pre>
 *  features [1,T,D] ──┐
 *  masks [N,T,1] ─ Slice[start:end] ─ Mul ─► masked [n,T,D] ─► cut block (its residual: see below)
 *                                                             ─► later blocks ─► final norm ─► head
 *                                                             ─► logits [n,C]
 * </pre>
 *
 * <p>The masks are a constant inside the graph and only F and two chunk bounds cross from Java, so
 * one session serves every chunk size up to N. By default the first residual Add of the cut block
 * takes the masked features in place of the block input (seed equation 4: H sees only the masked
 * F); the other {@link ResidualSource}s add a third input, the block input X [1,T,D], which the
 * residual takes unmasked or scaled by the same masks.
 */
public final class GenericHModelBuilder {
  public static final String FEATURES = "reciprocam_features";
  public static final String BLOCK_INPUT = "reciprocam_block_input";
  public static final String CHUNK_START = "reciprocam_chunk_start";
  public static final String CHUNK_END = "reciprocam_chunk_end";
  static final String MASKS = "reciprocam_masks";
  static final String MASKED = "reciprocam_masked_features";
  static final String CHUNK_MASKS = "reciprocam_chunk_masks";
  private static final String MASKED_INPUT = "reciprocam_masked_block_input";

  private GenericHModelBuilder() {}

  /**
   * @param masks N x T mask weights, row-major
   */
  public static ModelProto build(
      OnnxGraph graph, Cut cut, ResidualSource residual, float[] masks, int copies, int tokens) {
    if (residual.needsBlockInput() && !cut.afterNorm()) {
      throw new IllegalArgumentException("the residual choice applies to cuts after LN1 only");
    }
    String logits = graph.model().getGraph().getOutput(0).getName();
    Map<String, String> boundary = new HashMap<>();
    boundary.put(cut.features(), MASKED);
    boundary.put(
        cut.blockInput(),
        switch (residual) {
          case MASKED_FEATURES -> MASKED;
          case MASKED_INPUT -> MASKED_INPUT;
          case BLOCK_INPUT -> BLOCK_INPUT;
        });
    Subgraph afterCut = Subgraph.extract(graph, List.of(logits), boundary, Optional.of(MASKED));
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("reciprocam_generic_h")
            .addInput(Nodes.value(FEATURES, TensorProto.DataType.FLOAT, 1L, (long) tokens, "dim"))
            .addInput(Nodes.value(CHUNK_START, TensorProto.DataType.INT64, 1L))
            .addInput(Nodes.value(CHUNK_END, TensorProto.DataType.INT64, 1L))
            .addInitializer(Tensors.floatTensor(MASKS, masks, copies, tokens, 1))
            .addInitializer(Tensors.longTensor("reciprocam_axis0", new long[] {0}, 1))
            .addNode(
                Nodes.node(
                    "Slice",
                    CHUNK_MASKS,
                    List.of(MASKS, CHUNK_START, CHUNK_END, "reciprocam_axis0"),
                    List.of(CHUNK_MASKS)))
            .addNode(Nodes.node("Mul", MASKED, List.of(FEATURES, CHUNK_MASKS), List.of(MASKED)))
            .addAllInitializer(afterCut.initializers());
    if (residual.needsBlockInput()) {
      // [1,T,D] broadcasts against the [n,T,D] attention output in the residual Add.
      g.addInput(Nodes.value(BLOCK_INPUT, TensorProto.DataType.FLOAT, 1L, (long) tokens, "dim"));
    }
    if (residual == ResidualSource.MASKED_INPUT) {
      g.addNode(
          Nodes.node(
              "Mul", MASKED_INPUT, List.of(BLOCK_INPUT, CHUNK_MASKS), List.of(MASKED_INPUT)));
    }
    for (NodeProto n : afterCut.nodes()) {
      g.addNode(n);
    }
    g.addOutput(Nodes.value(logits, TensorProto.DataType.FLOAT, "copies", "classes"));
    return graph.model().toBuilder().clearMetadataProps().setGraph(g).build();
  }
}
