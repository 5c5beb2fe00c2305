package org.vitaudit.model.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Small models cut out of the last block to read its attention weights numerically, whatever
 * reshapes and transposes the exporter wrote: feeding basis vectors through a per-token affine map
 * reads the map's matrix row by row.
 */
public final class AttentionProbeModels {
  public static final String FEATURES = "probe_features";
  public static final String CONTEXT = "probe_context";

  private AttentionProbeModels() {}

  /** F [1,T,D] in; Q, K, V (as the attention MatMuls read them) out. */
  public static ModelProto projections(
      OnnxGraph graph, Cut cut, AttentionSite site, int tokens, int dim) {
    List<String> outs = List.of(site.queries(), site.keys(), site.values());
    Subgraph part =
        Subgraph.extract(graph, outs, Map.of(cut.features(), FEATURES), Optional.of(FEATURES));
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("probe_projections")
            .addInput(
                Nodes.value(FEATURES, TensorProto.DataType.FLOAT, 1L, (long) tokens, (long) dim))
            .addAllInitializer(part.initializers())
            .addAllNode(part.nodes());
    outs.forEach(o -> g.addOutput(Nodes.floatValueOfUnknownShape(o)));
    return GraphWriter.model(graph.model(), g);
  }

  /** O (the context, shaped as the graph has it) and F (for shape ops) in; attention output out. */
  public static ModelProto outputProjection(
      OnnxGraph graph, Cut cut, AttentionSite site, int tokens, int dim) {
    Subgraph part =
        Subgraph.extract(
            graph,
            List.of(site.output()),
            Map.of(cut.features(), FEATURES, site.context(), CONTEXT),
            Optional.of(FEATURES));
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("probe_output_projection")
            .addInput(
                Nodes.value(FEATURES, TensorProto.DataType.FLOAT, 1L, (long) tokens, (long) dim))
            .addInput(Nodes.floatValueOfUnknownShape(CONTEXT))
            .addAllInitializer(part.initializers())
            .addAllNode(part.nodes());
    g.addOutput(Nodes.floatValueOfUnknownShape(site.output()));
    return GraphWriter.model(graph.model(), g);
  }
}
