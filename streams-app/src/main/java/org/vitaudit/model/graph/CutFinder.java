package org.vitaudit.model.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Finds LN1 of a pre-norm encoder block (the last one by default) structurally, never by names or
 * operand order.
 *
 * <p>A norm L whose input X also feeds an Add whose other operand depends on L's output is a
 * pre-norm. The last two pre-norms in topological order are LN1 and LN2 of the last block (the two
 * before them, of the block before it, and so on), and LN1's residual Add must produce LN2's input.
 */
public final class CutFinder {
  private static final String WAY_OUT =
      "; name the last block's first LayerNorm with --cut-node NAME to override the search";

  private final OnnxGraph graph;
  private final NormFinder norms;

  public CutFinder(OnnxGraph graph) {
    this.graph = graph;
    this.norms = new NormFinder(graph);
  }

  /** LN1 of the last block, or of the named node. */
  public Cut find(Optional<String> cutNode) {
    return find(cutNode, 1);
  }

  /**
   * @param blockFromEnd which block the search picks when no node is named: 1 is the last
   */
  public Cut find(Optional<String> cutNode, int blockFromEnd) {
    return cutNode.map(this::named).orElseGet(() -> searched(blockFromEnd));
  }

  private Cut named(String name) {
    NodeProto node =
        graph
            .node(name)
            .orElseThrow(
                () ->
                    new ModelNotSupportedException(
                        "cut node '"
                            + name
                            + "' does not exist in the model; its LayerNorm nodes are: "
                            + normNames()));
    NormUnit unit =
        norms
            .byOutputNode(name)
            .orElseGet(() -> new NormUnit(node.getInput(0), node.getOutput(0), node, node));
    return residualOf(unit)
        .map(add -> cut(unit, add, lastBlock(add)))
        .orElseThrow(
            () ->
                new ModelNotSupportedException(
                    "cut node '"
                        + name
                        + "' is not the first norm of a pre-norm block: its input feeds no"
                        + " residual Add that depends on its output"));
  }

  private Cut searched(int blockFromEnd) {
    List<NormUnit> all = norms.find();
    if (all.isEmpty()) {
      throw new ModelNotSupportedException(
          "no LayerNorm found in the model (its normalisation ops: "
              + otherNorms()
              + "); ViT-ReciproCAM needs pre-norm transformer blocks"
              + WAY_OUT);
    }
    List<NormUnit> preNorms = all.stream().filter(u -> residualOf(u).isPresent()).toList();
    if (preNorms.size() < 2) {
      throw new ModelNotSupportedException(
          "found "
              + all.size()
              + " LayerNorm(s) but "
              + (preNorms.isEmpty() ? "none is" : "only one is")
              + " a pre-norm (post-norm blocks, where the norm follows the residual Add, are not"
              + " supported)"
              + WAY_OUT);
    }
    int blocks = preNorms.size() / 2;
    if (blockFromEnd > blocks) {
      throw new ModelNotSupportedException(
          "block "
              + blockFromEnd
              + " from the end was asked, but the model has "
              + blocks
              + " pre-norm block(s) ("
              + preNorms.size()
              + " pre-norm LayerNorms)");
    }
    NormUnit ln1 = preNorms.get(preNorms.size() - 2 * blockFromEnd);
    NormUnit ln2 = preNorms.get(preNorms.size() - 2 * blockFromEnd + 1);
    NodeProto add = residualOf(ln1).orElseThrow();
    if (!add.getOutput(0).equals(ln2.input())) {
      throw new ModelNotSupportedException(
          "the pre-norm LayerNorms '"
              + ln1.name()
              + "' and '"
              + ln2.name()
              + "' are not the two norms of one block (the first one's residual Add does not feed"
              + " the second)"
              + WAY_OUT);
    }
    // The search counts blocks from the last pre-norm pair, so the first one counted is the last.
    return cut(ln1, add, blockFromEnd == 1);
  }

  private static Cut cut(NormUnit unit, NodeProto add, boolean lastBlock) {
    return new Cut(unit.name(), unit.output(), unit.input(), add, lastBlock);
  }

  /**
   * For a named cut node: the block is the last where at most one pre-norm (its own LN2) reads what
   * its first residual Add produces, as any further one belongs to a later block.
   */
  private boolean lastBlock(NodeProto residualAdd) {
    var downstream = graph.descendants(residualAdd.getOutput(0));
    downstream.add(residualAdd.getOutput(0));
    long later =
        norms.find().stream()
            .filter(u -> downstream.contains(u.input()) && residualOf(u).isPresent())
            .count();
    return later <= 1;
  }

  /** The residual Add fed by the norm's input whose other operand depends on the norm's output. */
  private Optional<NodeProto> residualOf(NormUnit unit) {
    var downstream = graph.descendants(unit.output());
    for (NodeProto add : graph.consumers(unit.input())) {
      if (!add.getOpType().equals("Add") || add.getInputCount() != 2) {
        continue;
      }
      String other = add.getInput(0).equals(unit.input()) ? add.getInput(1) : add.getInput(0);
      if (downstream.contains(other)) {
        return Optional.of(add);
      }
    }
    return Optional.empty();
  }

  private String normNames() {
    List<NormUnit> all = norms.find();
    return all.isEmpty()
        ? "none"
        : all.stream().map(NormUnit::name).collect(Collectors.joining(", "));
  }

  private String otherNorms() {
    Map<String, Long> counts =
        new TreeMap<>(
            graph.nodes().stream()
                .map(NodeProto::getOpType)
                .filter(op -> op.contains("Norm"))
                .collect(Collectors.groupingBy(op -> op, Collectors.counting())));
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
  }
}
