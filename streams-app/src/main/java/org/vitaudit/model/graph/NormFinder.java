package org.vitaudit.model.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Finds layer normalisations: {@code LayerNormalization} ops (opset 17+) and the decomposed chain
 * torch exports at older opsets: {@code ReduceMean(x) -> Sub(x, mean) -> Pow -> ReduceMean -> Add
 * -> Sqrt -> Div(diff, std) [-> Mul(gamma)] [-> Add(beta)]}.
 */
public final class NormFinder {
  private final OnnxGraph graph;

  public NormFinder(OnnxGraph graph) {
    this.graph = graph;
  }

  /** All normalisations in topological order of their first node. */
  public List<NormUnit> find() {
    List<NormUnit> units = new ArrayList<>();
    for (NodeProto n : graph.nodes()) {
      if (n.getOpType().equals("LayerNormalization")) {
        units.add(new NormUnit(n.getInput(0), n.getOutput(0), n, n));
      } else if (n.getOpType().equals("ReduceMean")) {
        decomposedFrom(n).ifPresent(units::add);
      }
    }
    units.sort(Comparator.comparingInt(u -> graph.position(u.firstNode())));
    return units;
  }

  /** The normalisation whose output node is named {@code name}, if that node ends one. */
  public Optional<NormUnit> byOutputNode(String name) {
    return find().stream().filter(u -> u.outputNode().getName().equals(name)).findFirst();
  }

  private Optional<NormUnit> decomposedFrom(NodeProto mean) {
    String x = mean.getInput(0);
    String meanOut = mean.getOutput(0);
    for (NodeProto sub : graph.consumers(meanOut)) {
      if (!sub.getOpType().equals("Sub")
          || !sub.getInput(0).equals(x)
          || !sub.getInput(1).equals(meanOut)) {
        continue;
      }
      String diff = sub.getOutput(0);
      for (NodeProto div : graph.consumers(diff)) {
        if (div.getOpType().equals("Div")
            && div.getInput(0).equals(diff)
            && graph.descendants(diff).contains(div.getInput(1))
            && hasReduceMeanOnPathToStd(diff, div.getInput(1))) {
          NodeProto last = extendWithAffine(div);
          return Optional.of(new NormUnit(x, last.getOutput(0), last, mean));
        }
      }
    }
    return Optional.empty();
  }

  /** The variance path must average squared deviations; a plain x / f(x) is not a norm. */
  private boolean hasReduceMeanOnPathToStd(String diff, String std) {
    for (NodeProto n : graph.ancestorsUpTo(List.of(std), Set.of(diff))) {
      if (n.getOpType().equals("ReduceMean")) {
        return true;
      }
    }
    return false;
  }

  /** Follows an optional scale (Mul by a constant) and shift (Add of a constant). */
  private NodeProto extendWithAffine(NodeProto div) {
    NodeProto last = div;
    for (String op : List.of("Mul", "Add")) {
      List<NodeProto> next = graph.consumers(last.getOutput(0));
      if (next.size() == 1
          && next.get(0).getOpType().equals(op)
          && hasConstantOperand(next.get(0))) {
        last = next.get(0);
      }
    }
    return last;
  }

  private boolean hasConstantOperand(NodeProto n) {
    return n.getInputList().stream().anyMatch(graph::isConstant);
  }
}
