package org.vitaudit.model.graph;

import java.util.List;
import java.util.Optional;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Nodes that exporters put between the attention softmax and its MatMul with the values and that
 * leave the weights unchanged at inference, so the fast H, which computes {@code softmax @ V}
 * itself, may skip them:
 *
 * <ul>
 *   <li>{@code Identity}, {@code Cast} to float (the softmax is float already: eager Hugging Face
 *       attention through the TorchScript exporter writes {@code Softmax -> Cast -> Cast});
 *   <li>{@code Dropout} in inference mode (no {@code training_mode}, or a provably false one) whose
 *       mask output nothing reads;
 *   <li>{@code Mul} by a tensor of ones (a head mask) and {@code Div} by ones;
 *   <li>{@code Where(IsNaN(s), 0, s)}, which Hugging Face's sdpa attention adds after the softmax
 *       through the dynamo exporter: a softmax row holds no NaN unless its input did.
 * </ul>
 */
final class InferenceIdentities {
  private final OnnxGraph graph;
  private final ProvenValues values;

  InferenceIdentities(OnnxGraph graph, ProvenValues values) {
    this.graph = graph;
    this.values = values;
  }

  /** The tensor after the identity that is {@code tensor}'s only reader, if it is one. */
  Optional<String> skip(String tensor) {
    List<NodeProto> readers = graph.consumers(tensor);
    if (readers.size() == 2) {
      return nanGuard(tensor, readers);
    }
    if (readers.size() != 1) {
      return Optional.empty();
    }
    NodeProto n = readers.get(0);
    boolean passes =
        switch (n.getOpType()) {
          case "Identity" -> true;
          case "Cast" -> OnnxGraph.intAttribute(n, "to", -1) == TensorProto.DataType.FLOAT_VALUE;
          case "Dropout" -> inferenceDropout(n);
          case "Mul" -> values.allOne(other(n, tensor));
          case "Div" -> n.getInput(0).equals(tensor) && values.allOne(n.getInput(1));
          default -> false;
        };
    return passes ? Optional.of(n.getOutput(0)) : Optional.empty();
  }

  /** Dropout is the identity unless its training_mode input is set (or may be) true. */
  private boolean inferenceDropout(NodeProto n) {
    boolean training =
        n.getInputCount() > 2 && !n.getInput(2).isEmpty() && !values.allZero(n.getInput(2));
    boolean maskRead =
        n.getOutputCount() > 1
            && !n.getOutput(1).isEmpty()
            && (!graph.consumers(n.getOutput(1)).isEmpty() || isGraphOutput(n.getOutput(1)));
    return !training && !maskRead && !isGraphOutput(n.getOutput(0));
  }

  /** {@code Where(IsNaN(s), 0, s)}: s itself wherever s is a number. */
  private Optional<String> nanGuard(String s, List<NodeProto> readers) {
    NodeProto isNan =
        readers.stream().filter(n -> n.getOpType().equals("IsNaN")).findFirst().orElse(null);
    NodeProto where =
        readers.stream().filter(n -> n.getOpType().equals("Where")).findFirst().orElse(null);
    if (isNan == null || where == null || graph.consumers(isNan.getOutput(0)).size() != 1) {
      return Optional.empty();
    }
    boolean guards =
        where.getInput(0).equals(isNan.getOutput(0))
            && values.allZero(where.getInput(1))
            && where.getInput(2).equals(s);
    return guards ? Optional.of(where.getOutput(0)) : Optional.empty();
  }

  private boolean isGraphOutput(String tensor) {
    return graph.model().getGraph().getOutputList().stream()
        .anyMatch(o -> o.getName().equals(tensor));
  }

  private static String other(NodeProto binary, String tensor) {
    return binary.getInput(0).equals(tensor) ? binary.getInput(1) : binary.getInput(0);
  }
}
