package org.vitaudit.engine;

import org.vitaudit.choice.Choice;

/** Which H computes the masked copies' scores: both give the same scores, at different costs. */
public enum HKind implements Choice {
  /** The exact shortcut: only the rows that can differ between copies (docs/method.md). */
  FAST,
  /** The model's own layers after the cut, run on all N x T tokens of the masked copies. */
  GENERIC
}
