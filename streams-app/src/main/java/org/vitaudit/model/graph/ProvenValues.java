package org.vitaudit.model.graph;

import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Proves from the graph alone that every element of a tensor has one value (0 or 1, booleans read
 * as 0 and 1), whatever the input. Exporters write such tensors where the model has nothing to say:
 * Hugging Face models through torch's dynamo exporter add {@code Where(mask, 0, -3.4e38)} before
 * every attention softmax, whose {@code mask} is an all-true constant {@code Expand}ed to the
 * batch, an attention bias of zeros; eager exports multiply the weights by a head mask of ones.
 *
 * <p>Only what can be shown is claimed: anything else is "not proven", and callers refuse.
 */
public final class ProvenValues {
  /** Ops that copy or rearrange their first input's elements without changing any value. */
  private static final Set<String> VALUE_PRESERVING =
      Set.of(
          "Identity", "Expand", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Transpose", "Tile");

  private static final int DEPTH_LIMIT = 16;

  private final OnnxGraph graph;

  public ProvenValues(OnnxGraph graph) {
    this.graph = graph;
  }

  /** True where every element of {@code tensor} is provably 0 (or false). */
  public boolean allZero(String tensor) {
    return allEqual(tensor, 0f, 0);
  }

  /** True where every element of {@code tensor} is provably 1 (or true). */
  public boolean allOne(String tensor) {
    return allEqual(tensor, 1f, 0);
  }

  private boolean allEqual(String tensor, float value, int depth) {
    if (tensor.isEmpty() || depth > DEPTH_LIMIT) {
      return false;
    }
    Optional<TensorProto> constant = graph.constant(tensor);
    if (constant.isPresent()) {
      return everyElementIs(constant.get(), value);
    }
    NodeProto p = graph.producer(tensor).orElse(null);
    if (p == null) {
      return false; // a graph input
    }
    String op = p.getOpType();
    if (VALUE_PRESERVING.contains(op) || op.equals("Cast")) {
      // A Cast keeps 0 and 1 in every numeric and boolean type (true is 1, false is 0).
      return allEqual(p.getInput(0), value, depth + 1);
    }
    if (op.equals("Where")) {
      String condition = p.getInput(0);
      String whenTrue = p.getInput(1);
      String whenFalse = p.getInput(2);
      boolean trueBranch = allEqual(whenTrue, value, depth + 1);
      boolean falseBranch = allEqual(whenFalse, value, depth + 1);
      return (trueBranch && falseBranch)
          || (trueBranch && allEqual(condition, 1f, depth + 1))
          || (falseBranch && allEqual(condition, 0f, depth + 1));
    }
    return false;
  }

  private static boolean everyElementIs(TensorProto t, float value) {
    float[] values;
    try {
      values = Tensors.floats(t);
    } catch (IllegalArgumentException e) {
      return false; // a type Tensors does not read, or data in an external file: not proven
    }
    for (float v : values) {
      if (v != value) {
        return false;
      }
    }
    return true;
  }
}
