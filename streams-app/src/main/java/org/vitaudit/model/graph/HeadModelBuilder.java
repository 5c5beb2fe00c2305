package org.vitaudit.model.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * The head of a model: everything from the cut block's output {@code z = y + MLP(LN2(y))} to the
 * logits (final norm, pooling, classifier), as a graph of its own, so that which token rows it
 * reads can be measured rather than guessed from how an exporter spelled the pooling.
 */
public final class HeadModelBuilder {
  public static final String BLOCK_OUTPUT = "head_block_output";

  private HeadModelBuilder() {}

  /** The block's second residual Add: reads y and a value computed from y (the MLP branch). */
  public static Optional<String> blockOutput(OnnxGraph graph, Cut cut) {
    String y = cut.residualAdd().getOutput(0);
    Set<String> fromY = graph.descendants(y);
    for (NodeProto n : graph.consumers(y)) {
      if (n.getOpType().equals("Add") && n.getInputCount() == 2) {
        String other = n.getInput(0).equals(y) ? n.getInput(1) : n.getInput(0);
        if (fromY.contains(other)) {
          return Optional.of(n.getOutput(0));
        }
      }
    }
    return Optional.empty();
  }

  /** Block output [b, T, D] in, the model's logits out. */
  public static ModelProto build(OnnxGraph graph, String blockOutput, int tokens, int dim) {
    String logits = graph.model().getGraph().getOutput(0).getName();
    Subgraph head = Subgraph.extract(graph, List.of(logits), Map.of(blockOutput, BLOCK_OUTPUT),
        Optional.of(BLOCK_OUTPUT));
    GraphProto.Builder g = GraphProto.newBuilder().setName("head")
        .addInput(Nodes.value(BLOCK_OUTPUT, TensorProto.DataType.FLOAT, "batch", (long) tokens, (long) dim))
        .addAllInitializer(head.initializers())
        .addAllNode(head.nodes())
        .addOutput(Nodes.floatValueOfUnknownShape(logits));
    return GraphWriter.model(graph.model(), g);
  }
}
