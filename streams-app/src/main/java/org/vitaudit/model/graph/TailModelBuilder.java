package org.vitaudit.model.graph;

import java.util.List;
import java.util.Map;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Builds the generic H: the tail of the model after the cut, fed with masked copies of F.
 *
 * <pre>
 *  features [1,T,D] ──┐
 *  masks [N,T,1] ─ Slice[start:end] ─ Mul ─► masked [n,T,D] ─► last block (residual takes masked)
 *                                                             ─► final norm ─► head ─► logits [n,C]
 * </pre>
 *
 * <p>The masks are a constant inside the graph and only F and two chunk bounds cross from Java,
 * so one session serves every chunk size up to N. The first residual Add of the last block takes
 * the masked features in place of the block input (seed equation 4: H sees only the masked F).
 */
public final class TailModelBuilder {
  public static final String FEATURES = "reciprocam_features";
  public static final String CHUNK_START = "reciprocam_chunk_start";
  public static final String CHUNK_END = "reciprocam_chunk_end";
  static final String MASKS = "reciprocam_masks";
  static final String MASKED = "reciprocam_masked_features";

  private TailModelBuilder() {}

  /**
   * @param masks N x T mask weights, row-major
   */
  public static ModelProto build(OnnxGraph graph, Cut cut, float[] masks, int copies, int tokens) {
    String logits = graph.model().getGraph().getOutput(0).getName();
    Map<String, String> boundary = new java.util.HashMap<>();
    boundary.put(cut.features(), MASKED);
    boundary.put(cut.blockInput(), MASKED);
    Subgraph tail = Subgraph.extract(graph, List.of(logits), boundary);
    GraphProto.Builder g = GraphProto.newBuilder()
        .setName("reciprocam_tail")
        .addInput(Nodes.value(FEATURES, TensorProto.DataType.FLOAT, 1L, (long) tokens, "dim"))
        .addInput(Nodes.value(CHUNK_START, TensorProto.DataType.INT64, 1L))
        .addInput(Nodes.value(CHUNK_END, TensorProto.DataType.INT64, 1L))
        .addInitializer(Tensors.floatTensor(MASKS, masks, copies, tokens, 1))
        .addInitializer(Tensors.longTensor("reciprocam_axis0", new long[] {0}, 1))
        .addNode(Nodes.node("Slice", "reciprocam_chunk_masks", List.of(MASKS, CHUNK_START, CHUNK_END,
            "reciprocam_axis0"), List.of("reciprocam_chunk_masks")))
        .addNode(Nodes.node("Mul", MASKED, List.of(FEATURES, "reciprocam_chunk_masks"), List.of(MASKED)))
        .addAllInitializer(tail.initializers());
    for (NodeProto n : tail.nodes()) {
      g.addNode(n);
    }
    g.addOutput(Nodes.value(logits, TensorProto.DataType.FLOAT, "copies", "classes"));
    return graph.model().toBuilder().clearMetadataProps().setGraph(g).build();
  }
}
