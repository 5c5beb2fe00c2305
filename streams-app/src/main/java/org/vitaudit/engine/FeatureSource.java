package org.vitaudit.engine;

/** Which tensor of the last block the masks scale. */
public enum FeatureSource {
  /** LN1's output of the last block: the paper's default. */
  LN1,
  /** The previous block's output, i.e. the last block's input (the paper's Table 4 ablation). */
  BLOCK_OUTPUT
}
