package org.vitaudit.engine;

import org.vitaudit.choice.Choice;

/**
 * What H's scores are before the per-class min-max: softmax probabilities (default) or raw logits.
 */
public enum ScoreMode implements Choice {
  SOFTMAX,
  LOGITS
}
