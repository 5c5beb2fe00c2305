package org.vitaudit.model.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.proto.Onnx.AttributeProto;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * Read-only index over an ONNX model's main graph: who produces and who consumes each tensor,
 * constant values, and reachability. ONNX requires nodes in topological order, so list order is
 * topological order.
 */
public final class OnnxGraph {
  private final ModelProto model;
  private final List<NodeProto> nodes;
  private final Map<String, NodeProto> producers = new HashMap<>();
  private final Map<String, List<NodeProto>> consumers = new HashMap<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final Map<NodeProto, Integer> order = new HashMap<>();
  private final ExternalData externalData;

  public OnnxGraph(ModelProto model) {
    this(model, ExternalData.none());
  }

  /**
   * A graph whose initializers may live in external files (read only for the constants analysed).
   */
  public OnnxGraph(ModelProto model, ExternalData externalData) {
    this.model = model;
    this.externalData = externalData;
    GraphProto g = model.getGraph();
    this.nodes = g.getNodeList();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto n = nodes.get(i);
      order.put(n, i);
      for (String out : n.getOutputList()) {
        producers.put(out, n);
      }
      for (String in : n.getInputList()) {
        if (!in.isEmpty()) {
          consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
      }
    }
    for (TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
  }

  public ModelProto model() {
    return model;
  }

  public List<NodeProto> nodes() {
    return nodes;
  }

  public int position(NodeProto node) {
    return order.get(node);
  }

  public Optional<NodeProto> producer(String tensor) {
    return Optional.ofNullable(producers.get(tensor));
  }

  public List<NodeProto> consumers(String tensor) {
    return consumers.getOrDefault(tensor, List.of());
  }

  public Optional<NodeProto> node(String name) {
    return nodes.stream().filter(n -> n.getName().equals(name)).findFirst();
  }

  public Map<String, TensorProto> initializers() {
    return Collections.unmodifiableMap(initializers);
  }

  /** The graph inputs that are real inputs (older exporters also list initializers as inputs). */
  public List<ValueInfoProto> realInputs() {
    return model.getGraph().getInputList().stream()
        .filter(v -> !initializers.containsKey(v.getName()))
        .toList();
  }

  public int opset() {
    return model.getOpsetImportList().stream()
        .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
        .mapToInt(o -> (int) o.getVersion())
        .findFirst()
        .orElse(1);
  }

  /** The value of a tensor fixed at load time: an initializer or the output of a Constant node. */
  public Optional<TensorProto> constant(String tensor) {
    TensorProto init = initializers.get(tensor);
    if (init != null) {
      return Optional.of(externalData.inline(init));
    }
    NodeProto p = producers.get(tensor);
    if (p != null && p.getOpType().equals("Constant")) {
      for (AttributeProto a : p.getAttributeList()) {
        switch (a.getName()) {
          case "value":
            return Optional.of(a.getT());
          case "value_float":
            return Optional.of(Tensors.floatTensor(tensor, new float[] {a.getF()}));
          case "value_int":
            return Optional.of(Tensors.longTensor(tensor, new long[] {a.getI()}));
          case "value_ints":
            long[] ints = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            return Optional.of(Tensors.longTensor(tensor, ints, ints.length));
          default:
            break;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code tensor} is fixed at load time, without reading its values (weights may be in
   * files).
   */
  public boolean isConstant(String tensor) {
    return initializers.containsKey(tensor) || constant(tensor).isPresent();
  }

  /** Every tensor computed, directly or not, from {@code tensor} (itself excluded). */
  public Set<String> descendants(String tensor) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(tensor);
    while (!todo.isEmpty()) {
      for (NodeProto n : consumers(todo.poll())) {
        for (String out : n.getOutputList()) {
          if (seen.add(out)) {
            todo.add(out);
          }
        }
      }
    }
    return seen;
  }

  /**
   * The nodes needed to compute {@code outputs}, walking back from them but never past the {@code
   * boundary} tensors, in topological order.
   */
  public List<NodeProto> ancestorsUpTo(List<String> outputs, Set<String> boundary) {
    Set<NodeProto> picked = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(outputs);
    Set<String> visited = new HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.poll();
      if (!visited.add(t) || boundary.contains(t)) {
        continue;
      }
      NodeProto p = producers.get(t);
      if (p != null && picked.add(p)) {
        for (String in : p.getInputList()) {
          if (!in.isEmpty()) {
            todo.add(in);
          }
        }
      }
    }
    return nodes.stream().filter(picked::contains).toList();
  }

  public static Optional<AttributeProto> attribute(NodeProto node, String name) {
    return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
  }

  public static long intAttribute(NodeProto node, String name, long fallback) {
    return attribute(node, name).map(AttributeProto::getI).orElse(fallback);
  }

  public static List<Long> intsAttribute(NodeProto node, String name) {
    return attribute(node, name).map(AttributeProto::getIntsList).orElse(List.of());
  }

  public static String describe(NodeProto node) {
    return node.getOpType() + " '" + node.getName() + "'";
  }
}
