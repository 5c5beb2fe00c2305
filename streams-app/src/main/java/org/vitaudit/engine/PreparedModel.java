package org.vitaudit.engine;

import java.util.Optional;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.graph.AttentionLocator;
import org.vitaudit.model.graph.AttentionSite;
import org.vitaudit.model.graph.AttentionWeights;
import org.vitaudit.model.graph.Cut;
import org.vitaudit.model.graph.FastHModelBuilder;
import org.vitaudit.model.graph.FastHModelBuilder.Form;
import org.vitaudit.model.graph.GenericHModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;
import org.vitaudit.model.graph.PatchGridFinder;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * A model ready for the engine ({@link ModelPreparation#prepare}): the graph, its image input, the
 * cut and G. The H graphs are built from it per mask set once the token layout is known; T is only
 * certain after one run of G (exporters do not always write shapes), which is the runtime's ({@link
 * SaliencyEngine}). Holds no ONNX Runtime session; {@code split} writes the graphs it builds.
 *
 * @param input the model's one image input, NCHW float32
 * @param fixedBatch whether the exporter fixed the batch size, so G runs one image at a time
 * @param blockInput X, the cut block's input, where the residual choice has H read it
 * @param featureModel G: the model plus F (and X where H reads it) as extra outputs
 */
public record PreparedModel(
    String name,
    String sha256,
    ExternalData externalData,
    OnnxGraph graph,
    ValueInfoProto input,
    boolean fixedBatch,
    Cut cut,
    ResidualSource residual,
    Optional<String> blockInput,
    ModelProto featureModel) {

  /** The model's logits, G's first output. */
  public String logits() {
    return graph.model().getGraph().getOutput(0).getName();
  }

  /** The layout of G's T tokens: the grid given, else the one the model's strides give. */
  public TokenLayout layout(int tokens, Optional<int[]> grid, int[] inputShape) {
    return grid.map(hw -> new TokenLayout(tokens - hw[0] * hw[1], hw[0], hw[1]))
        .orElseGet(() -> PatchGridFinder.find(graph, cut, inputShape[1], inputShape[2], tokens));
  }

  /**
   * The generic H for one mask set, as {@code split} writes it: the layers after the cut on N
   * copies.
   */
  public ModelProto genericH(MaskSpec masks, TokenLayout layout) {
    return GenericHModelBuilder.build(
        graph, cut, residual, masks.weights(layout), layout.cells(), layout.tokens());
  }

  /** Why no fast H can serve this cut, whatever the mask set; empty where one may. */
  public Optional<String> fastHRefusal() {
    if (!cut.afterNorm()) {
      return Optional.of("the masks scale the block's input, so H must run the whole block");
    }
    if (!cut.lastBlock()) {
      return Optional.of("the cut is not at the last block, so H must run the blocks after it");
    }
    return Optional.empty();
  }

  /**
   * The last block's attention, which the fast H computes row by row; throws where it has none to
   * use.
   */
  public AttentionSite attentionSite() {
    AttentionLocator.Result located = new AttentionLocator(graph).locate(cut);
    return located.site().orElseThrow(() -> new ModelNotSupportedException(located.reason()));
  }

  /**
   * The fast H in one form for one mask set. Its attention weights are read by running pieces of
   * the graph (the runtime's {@code AttentionProbe}), so they come in.
   */
  public ModelProto fastH(
      Form form, MaskSpec masks, TokenLayout layout, AttentionSite site, AttentionWeights weights) {
    return FastHModelBuilder.build(
        form, graph, cut, site, weights, residual, masks.weights(layout), layout);
  }
}
