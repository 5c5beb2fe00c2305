package org.vitaudit.engine;

/** What H's scores are before the per-class min-max: softmax probabilities (default) or raw logits. */
public enum ScoreMode {
  SOFTMAX, LOGITS;

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
