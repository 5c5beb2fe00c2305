package org.vitaudit.model.graph;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Finds the one softmax attention of the last block and the tensors around it, or says why the
 * block does not fit that pattern (then the engine keeps the generic H).
 */
public final class AttentionLocator {
  private final OnnxGraph graph;
  private final ProvenValues values;
  private final InferenceIdentities identities;

  public AttentionLocator(OnnxGraph graph) {
    this.graph = graph;
    this.values = new ProvenValues(graph);
    this.identities = new InferenceIdentities(graph, values);
  }

  /** The attention site, or the reason there is none that the fast H can use. */
  public Result locate(Cut cut) {
    NodeProto add = cut.residualAdd();
    String output = add.getInput(0).equals(cut.blockInput()) ? add.getInput(1) : add.getInput(0);
    List<NodeProto> core = graph.ancestorsUpTo(List.of(output), Set.of(cut.features()));
    List<NodeProto> softmaxes = core.stream().filter(n -> n.getOpType().equals("Softmax")).toList();
    if (softmaxes.size() != 1) {
      return Result.no("the attention has " + softmaxes.size() + " Softmax nodes, expected one");
    }
    NodeProto softmax = softmaxes.get(0);
    long axis = OnnxGraph.intAttribute(softmax, "axis", -1);
    if (axis != -1 && axis != 3 && axis != 2) {
      return Result.no("the attention softmax runs over axis " + axis + ", not over the keys");
    }
    // Walking back from the softmax: its input is scale * (Q @ K) + biasScale * bias.
    float scale = 1f;
    String bias = null;
    float biasScale = 1f;
    String t = softmax.getInput(0);
    NodeProto p = graph.producer(t).orElse(null);
    while (p != null
        && (p.getOpType().equals("Mul")
            || p.getOpType().equals("Div")
            || p.getOpType().equals("Add"))) {
      String data = graph.isConstant(p.getInput(0)) ? p.getInput(1) : p.getInput(0);
      String other = data.equals(p.getInput(0)) ? p.getInput(1) : p.getInput(0);
      if (p.getOpType().equals("Add")) {
        if (values.allZero(data)) {
          String zeros = data;
          data = other;
          other = zeros;
        }
        // A bias of zeros is no bias (Hugging Face models through dynamo add one): step over it.
        if (!values.allZero(other)) {
          if (bias != null || !graph.isConstant(other)) {
            return Result.no(OnnxGraph.describe(p) + " adds a computed or second attention bias");
          }
          bias = other;
          biasScale = scale;
        }
      } else {
        Optional<Float> factor = scalarOperand(p, data);
        if (factor.isEmpty()) {
          return Result.no(OnnxGraph.describe(p) + " before the softmax is not a constant scaling");
        }
        scale = p.getOpType().equals("Mul") ? scale * factor.get() : scale / factor.get();
      }
      t = data;
      p = graph.producer(t).orElse(null);
    }
    if (p == null || !p.getOpType().equals("MatMul")) {
      return Result.no(
          "the attention scores come from "
              + (p == null ? "nothing" : OnnxGraph.describe(p))
              + ", not from a MatMul of queries and keys");
    }
    NodeProto scores = p;
    // Walking on from the softmax, past what leaves the weights unchanged at inference.
    String weights = softmax.getOutput(0);
    for (Optional<String> next = identities.skip(weights);
        next.isPresent();
        next = identities.skip(weights)) {
      weights = next.get();
    }
    List<NodeProto> readers = graph.consumers(weights);
    if (readers.size() != 1
        || !readers.get(0).getOpType().equals("MatMul")
        || !readers.get(0).getInput(0).equals(weights)) {
      return Result.no(
          "the attention weights feed " + describe(readers) + ", not one MatMul with the values");
    }
    NodeProto context = readers.get(0);
    return Result.of(
        new AttentionSite(
            scores.getInput(0),
            scores.getInput(1),
            context.getInput(1),
            context.getOutput(0),
            output,
            scale,
            Optional.ofNullable(bias),
            biasScale));
  }

  private static String describe(List<NodeProto> nodes) {
    return nodes.isEmpty()
        ? "nothing"
        : String.join(", ", nodes.stream().map(OnnxGraph::describe).toList());
  }

  /** The constant scalar operand of a binary node whose other operand is {@code data}. */
  private Optional<Float> scalarOperand(NodeProto n, String data) {
    String other = n.getInput(0).equals(data) ? n.getInput(1) : n.getInput(0);
    if (n.getOpType().equals("Div") && !n.getInput(0).equals(data)) {
      return Optional.empty(); // c / x is no scaling
    }
    return graph.constant(other).map(Tensors::floats).filter(v -> v.length == 1).map(v -> v[0]);
  }

  /** A located site, or why not. */
  public record Result(Optional<AttentionSite> site, String reason) {
    static Result of(AttentionSite s) {
      return new Result(Optional.of(s), "");
    }

    static Result no(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }
}
