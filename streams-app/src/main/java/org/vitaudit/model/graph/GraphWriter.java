package org.vitaudit.model.graph;

import java.util.List;
import java.util.Locale;
import org.vitaudit.model.proto.Onnx;
import org.vitaudit.model.proto.Onnx.AttributeProto;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Appends constants and nodes to a graph under a common name prefix, so hand-built parts read
 * clearly.
 */
final class GraphWriter {
  private final GraphProto.Builder graph;
  private final String prefix;
  private int counter;

  GraphWriter(GraphProto.Builder graph, String prefix) {
    this.graph = graph;
    this.prefix = prefix;
  }

  GraphProto.Builder graph() {
    return graph;
  }

  String floats(String name, float[] values, long... dims) {
    String n = prefix + name;
    graph.addInitializer(Tensors.floatTensor(n, values, dims));
    return n;
  }

  String longs(String name, long... values) {
    return longTensor(name, values, values.length);
  }

  String longTensor(String name, long[] values, long... dims) {
    String n = prefix + name;
    graph.addInitializer(Tensors.longTensor(n, values, dims));
    return n;
  }

  /** Adds {@code op(inputs)} and returns its output's name. */
  String op(String op, List<String> inputs, AttributeProto... attributes) {
    String out = prefix + op.toLowerCase(Locale.ROOT) + "_" + (counter++);
    graph.addNode(Nodes.node(op, out, inputs, List.of(out), attributes));
    return out;
  }

  String op(String op, String... inputs) {
    return op(op, List.of(inputs));
  }

  void add(NodeProto n) {
    graph.addNode(n);
  }

  void addAll(Subgraph s) {
    graph.addAllInitializer(s.initializers());
    s.nodes().forEach(graph::addNode);
  }

  /** A copy of {@code model}'s header (opsets, IR version) around a new graph. */
  static Onnx.ModelProto model(Onnx.ModelProto model, GraphProto.Builder graph) {
    return model.toBuilder().clearMetadataProps().setGraph(graph).build();
  }
}
