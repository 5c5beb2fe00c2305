package org.vitaudit.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * The part of a graph that computes some outputs from a set of boundary tensors, with each boundary
 * tensor renamed to whatever will feed it in the new graph.
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
  public static Subgraph extract(
      OnnxGraph graph, List<String> outputs, Map<String, String> boundary) {
    return extract(graph, outputs, boundary, Optional.empty());
  }

  /**
   * As {@link #extract(OnnxGraph, List, Map)}, but where a node only reads the model input's shape
   * (dynamo exports take the batch size from it), it is computed instead from {@code batchSource},
   * a tensor of the new graph whose first dimension is the new graph's batch.
   */
  public static Subgraph extract(
      OnnxGraph graph,
      List<String> outputs,
      Map<String, String> boundary,
      Optional<String> batchSource) {
    List<NodeProto> picked = graph.ancestorsUpTo(outputs, boundary.keySet());
    Map<String, ValueInfoProto> modelInputs = new HashMap<>();
    graph.realInputs().forEach(v -> modelInputs.put(v.getName(), v));
    Set<String> neededInits = new HashSet<>();
    List<NodeProto> renamed = new ArrayList<>();
    List<TensorProto> added = new ArrayList<>();
    for (NodeProto n : picked) {
      NodeProto.Builder b = n.toBuilder().clearInput();
      boolean readsInput = n.getInputList().stream().anyMatch(modelInputs::containsKey);
      if (readsInput && batchSource.isPresent() && InputShapeSource.readsShapeOnly(n)) {
        renamed.addAll(
            InputShapeSource.replace(n, modelInputs.get(n.getInput(0)), batchSource.get(), added));
        continue;
      }
      for (String in : n.getInputList()) {
        if (modelInputs.containsKey(in)) {
          throw new ModelNotSupportedException(
              OnnxGraph.describe(n)
                  + " after the cut reads the"
                  + " model input '"
                  + in
                  + "'"
                  + (n.getOpType().equals("Shape") ? " for its shape" : " directly")
                  + ", so H cannot run on features alone");
        }
        if (graph.initializers().containsKey(in)) {
          neededInits.add(in);
        }
        b.addInput(boundary.getOrDefault(in, in));
      }
      renamed.add(b.build());
    }
    List<TensorProto> inits =
        new ArrayList<>(
            graph.initializers().values().stream()
                .filter(t -> neededInits.contains(t.getName()))
                .toList());
    inits.addAll(added);
    return new Subgraph(renamed, inits);
  }
}
