package org.vitaudit.model.graph;

import org.vitaudit.choice.Choice;

/**
 * What the first residual Add of the cut block adds to the attention of the masked features. The
 * public implementations of ViT-ReciproCAM disagree here (algorithm.md, "The split"); the seed's
 * reading is the default and the others are offered so their maps can be compared.
 */
public enum ResidualSource implements Choice {
  /** The masked features themselves, {@code y = x~ + Attn(x~)}: seed equation 4 (OTX 1.x). */
  MASKED_FEATURES,
  /** The block input scaled by the same mask, {@code y = X * m + Attn(x~)} (OpenVINO XAI). */
  MASKED_INPUT,
  /** The unmasked block input, {@code y = X + Attn(x~)} (the authors' repository). */
  BLOCK_INPUT;

  /** True where H needs the block input X besides F. */
  public boolean needsBlockInput() {
    return this != MASKED_FEATURES;
  }
}
