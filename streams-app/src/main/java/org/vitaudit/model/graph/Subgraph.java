package org.vitaudit.model.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * The part of a graph that computes some outputs from a set of boundary tensors, with each
 * boundary tensor renamed to whatever will feed it in the new graph.
 *
 * @param nodes the copied nodes in topological order, boundary inputs renamed
 * @param initializers the initializers those nodes read
 */
public record Subgraph(List<NodeProto> nodes, List<TensorProto> initializers) {

  /**
   * Extracts what {@code outputs} need above {@code boundary} (old name to new name). Fails when
   * the part depends on the original model input other than through the boundary, since the new
   * graph will not have it.
   */
  public static Subgraph extract(OnnxGraph graph, List<String> outputs, Map<String, String> boundary) {
    List<NodeProto> picked = graph.ancestorsUpTo(outputs, boundary.keySet());
    Set<String> modelInputs = new HashSet<>();
    graph.realInputs().forEach(v -> modelInputs.add(v.getName()));
    Set<String> produced = new HashSet<>();
    Set<String> neededInits = new HashSet<>();
    List<NodeProto> renamed = new ArrayList<>();
    for (NodeProto n : picked) {
      NodeProto.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        if (modelInputs.contains(in)) {
          throw new ModelNotSupportedException(OnnxGraph.describe(n) + " after the cut reads the"
              + " model input '" + in + "' directly, so the tail cannot run on features alone");
        }
        if (graph.initializers().containsKey(in)) {
          neededInits.add(in);
        }
        b.addInput(boundary.getOrDefault(in, in));
      }
      produced.addAll(n.getOutputList());
      renamed.add(b.build());
    }
    List<TensorProto> inits = graph.initializers().values().stream()
        .filter(t -> neededInits.contains(t.getName()))
        .toList();
    return new Subgraph(renamed, inits);
  }
}
