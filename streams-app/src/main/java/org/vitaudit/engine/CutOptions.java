package org.vitaudit.engine;

import java.util.Optional;
import org.vitaudit.model.graph.ResidualSource;

/**
 * Where the engine cuts the model and what H is fed: the block (found structurally, counted from
 * the last, or named by its first LayerNorm), which tensor the masks scale, and what the block's
 * first residual adds.
 *
 * @param node LN1 of the block to cut at, instead of searching for it
 * @param blockFromEnd which pre-norm block the search picks: 1 is the last (the default), 2 the one
 *     before it (the authors' repository's default)
 * @param features which tensor the masks scale (LN1's output by default)
 * @param residual what the first residual Add of the cut block adds (the masked features by
 *     default)
 */
public record CutOptions(
    Optional<String> node, int blockFromEnd, FeatureSource features, ResidualSource residual) {
  public static final CutOptions DEFAULT =
      new CutOptions(Optional.empty(), 1, FeatureSource.LN1, ResidualSource.MASKED_FEATURES);

  public CutOptions {
    if (blockFromEnd < 1) {
      throw new IllegalArgumentException(
          "block must be 1 (the last block) or more, counted from the end, not " + blockFromEnd);
    }
    if (node.isPresent() && blockFromEnd != 1) {
      throw new IllegalArgumentException(
          "give either a cut node or a block, not both: the cut node names the" + " block already");
    }
    if (features == FeatureSource.BLOCK_OUTPUT && residual != ResidualSource.MASKED_FEATURES) {
      throw new IllegalArgumentException(
          "residual "
              + residual.cliName()
              + " needs the masks on LN1's output; with the features taken at the block input the"
              + " whole block runs on the masked copies");
    }
  }

  /**
   * The cut a command or the stream asks for, one rule for both: a node named explicitly; else, for
   * the last block, the node the model's model.json names (it knows the model); else the block
   * asked for, which is an explicit choice and so wins over model.json.
   */
  public static CutOptions requested(
      Optional<String> node,
      Optional<String> modelJsonNode,
      int blockFromEnd,
      ResidualSource residual) {
    Optional<String> chosen = node.or(() -> blockFromEnd == 1 ? modelJsonNode : Optional.empty());
    return new CutOptions(chosen, blockFromEnd, FeatureSource.LN1, residual);
  }

  public CutOptions withNode(Optional<String> n) {
    return new CutOptions(n, blockFromEnd, features, residual);
  }

  public CutOptions withFeatures(FeatureSource f) {
    return new CutOptions(node, blockFromEnd, f, residual);
  }

  public CutOptions withResidual(ResidualSource r) {
    return new CutOptions(node, blockFromEnd, features, r);
  }

  public CutOptions withBlockFromEnd(int n) {
    return new CutOptions(node, n, features, residual);
  }
}
