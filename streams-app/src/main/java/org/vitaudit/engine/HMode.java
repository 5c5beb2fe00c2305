package org.vitaudit.engine;

/**
 * Which H to run: {@code fast} (exact, built from the last block's weights, for CLS-pooled models),
 * {@code generic} (the model's own layers after the cut, on N masked copies), or {@code auto}: fast where the block
 * matches, generic otherwise.
 */
public enum HMode {
  AUTO, FAST, GENERIC;

  public static HMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("h-mode must be auto, fast or generic, not '" + s + "'");
    }
  }
}
