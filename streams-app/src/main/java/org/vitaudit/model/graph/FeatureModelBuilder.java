package org.vitaudit.model.graph;

import java.util.List;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;

/**
 * Builds G: the unmodified model with extra outputs (F, and any other tensor a method needs), so
 * one run gives the prediction and the features.
 */
public final class FeatureModelBuilder {
  private FeatureModelBuilder() {}

  public static ModelProto withExtraOutputs(ModelProto model, List<String> tensors) {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    for (String t : tensors) {
      boolean already = graph.getOutputList().stream().anyMatch(o -> o.getName().equals(t));
      if (!already) {
        graph.addOutput(Nodes.floatValueOfUnknownShape(t));
      }
    }
    return model.toBuilder().setGraph(graph).build();
  }
}
