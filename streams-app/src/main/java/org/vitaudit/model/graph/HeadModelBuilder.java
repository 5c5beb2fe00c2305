package org.vitaudit.model.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * The head of a model: everything from the cut block's output {@code z = y + MLP(LN2(y))} to the
 * logits (final norm, pooling, classifier), as a graph of its own, so that which token rows it
 * reads can be measured rather than guessed from how an exporter spelled the pooling.
 */
public final class HeadModelBuilder {
  public static final String BLOCK_OUTPUT = "head_block_output";

  private HeadModelBuilder() {}

  /** Block output [b, T, D] in, the model's logits out. */
  public static ModelProto build(OnnxGraph graph, String blockOutput, int tokens, int dim) {
    String logits = graph.model().getGraph().getOutput(0).getName();
    Subgraph head =
        Subgraph.extract(
            graph, List.of(logits), Map.of(blockOutput, BLOCK_OUTPUT), Optional.of(BLOCK_OUTPUT));
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("head")
            .addInput(
                Nodes.value(
                    BLOCK_OUTPUT, TensorProto.DataType.FLOAT, "batch", (long) tokens, (long) dim))
            .addAllInitializer(head.initializers())
            .addAllNode(head.nodes())
            .addOutput(Nodes.floatValueOfUnknownShape(logits));
    return GraphWriter.model(graph.model(), g);
  }
}
