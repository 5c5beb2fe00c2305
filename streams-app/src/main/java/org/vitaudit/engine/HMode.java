package org.vitaudit.engine;

import org.vitaudit.choice.Choice;

/**
 * Which H to run: {@code fast} (exact, built from the last block's weights, for CLS-pooled models),
 * {@code generic} (the model's own layers after the cut, on N masked copies), or {@code auto}: fast
 * where the block matches, generic otherwise.
 */
public enum HMode implements Choice {
  AUTO,
  FAST,
  GENERIC
}
