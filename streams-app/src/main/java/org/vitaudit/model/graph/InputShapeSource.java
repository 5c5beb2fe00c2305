package org.vitaudit.model.graph;

import java.util.ArrayList;
import java.util.List;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.TensorShapeProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * Stands in for {@code Shape(input)} in a graph cut from a model: torch's dynamo exporter computes
 * the batch size once from the image input and reuses it in every block (reshapes, the attention
 * mask Hugging Face models expand to the batch), so the layers after the cut read the image input
 * for its shape alone. In the cut graph the batch is that of another tensor (the masked copies in
 * H, the probe in the attention probe), and the image's channels, height and width are the input's
 * fixed sizes:
 *
 * <pre>
 *   Shape(input)[s:e]  =  Concat(Shape(batchSource)[0:1], [C, H, W])[s:e]
 * </pre>
 */
final class InputShapeSource {
  private InputShapeSource() {}

  /** Whether {@code node} only reads the shape of the model input {@code input}. */
  static boolean readsShapeOnly(NodeProto node) {
    return node.getOpType().equals("Shape") && node.getInputCount() == 1;
  }

  /** Nodes that compute {@code shapeNode}'s output from {@code batchSource}'s first dimension. */
  static List<NodeProto> replace(
      NodeProto shapeNode, ValueInfoProto input, String batchSource, List<TensorProto> constants) {
    List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
    int rank = dims.size();
    if (rank == 0) {
      throw new ModelNotSupportedException(
          OnnxGraph.describe(shapeNode)
              + " after the cut reads the shape of '"
              + input.getName()
              + "', whose rank the model does not declare");
    }
    long start = clamp(OnnxGraph.intAttribute(shapeNode, "start", 0), rank);
    long end = clamp(OnnxGraph.intAttribute(shapeNode, "end", rank), rank);
    String p = shapeNode.getName() + "_from_batch";
    String out = shapeNode.getOutput(0);
    List<NodeProto> nodes = new ArrayList<>();
    String shape = p + "_shape";
    nodes.add(Nodes.node("Shape", shape, batchSource));
    String zero = p + "_zero";
    String one = p + "_one";
    constants.add(Tensors.longTensor(zero, new long[] {0}, 1));
    constants.add(Tensors.longTensor(one, new long[] {1}, 1));
    String batch = p + "_batch";
    nodes.add(Nodes.node("Slice", batch, shape, zero, one));
    if (start == 0 && end == 1) {
      nodes.add(Nodes.node("Identity", shapeNode.getName(), List.of(batch), List.of(out)));
      return nodes;
    }
    long[] rest = new long[rank - 1];
    for (int i = 1; i < rank; i++) {
      if (!dims.get(i).hasDimValue()) {
        throw new ModelNotSupportedException(
            OnnxGraph.describe(shapeNode)
                + " after the cut reads dimension "
                + i
                + " of '"
                + input.getName()
                + "', which the model leaves open; export it with a fixed image size");
      }
      rest[i - 1] = dims.get(i).getDimValue();
    }
    String fixed = p + "_fixed";
    constants.add(Tensors.longTensor(fixed, rest, rest.length));
    String whole = p + "_whole";
    nodes.add(
        Nodes.node(
            "Concat", whole, List.of(batch, fixed), List.of(whole), Nodes.integer("axis", 0)));
    String s = p + "_start";
    String e = p + "_end";
    constants.add(Tensors.longTensor(s, new long[] {start}, 1));
    constants.add(Tensors.longTensor(e, new long[] {end}, 1));
    nodes.add(Nodes.node("Slice", shapeNode.getName(), List.of(whole, s, e, zero), List.of(out)));
    return nodes;
  }

  /** Shape's start/end semantics: negative counts from the end, then clamped to [0, rank]. */
  private static long clamp(long v, int rank) {
    long x = v < 0 ? v + rank : v;
    return Math.max(0, Math.min(rank, x));
  }
}
