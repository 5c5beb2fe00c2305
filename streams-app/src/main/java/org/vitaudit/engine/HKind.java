package org.vitaudit.engine;

import java.util.Locale;

/** Which H computes the masked copies' scores: both give the same scores, at different costs. */
public enum HKind {
  /** The exact shortcut: only the rows that can differ between copies (docs/method.md). */
  FAST,
  /** The model's own layers after the cut, run on all N x T tokens of the masked copies. */
  GENERIC;

  /** The name in logs, JSON and {@code --h-mode}: {@code fast} or {@code generic}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
