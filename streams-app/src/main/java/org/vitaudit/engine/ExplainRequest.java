package org.vitaudit.engine;

import java.util.List;

/**
 * What to explain: maps for the top-k predicted classes and for any requested classes, all from the
 * same H runs.
 */
public record ExplainRequest(MaskSpec masks, ScoreMode score, int topK, List<Integer> classes) {
  public static final ExplainRequest DEFAULT =
      new ExplainRequest(MaskSpec.DEFAULT, ScoreMode.SOFTMAX, 1, List.of());

  public ExplainRequest {
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be 0 or more, not " + topK);
    }
    classes = List.copyOf(classes);
  }

  public ExplainRequest withMasks(MaskSpec m) {
    return new ExplainRequest(m, score, topK, classes);
  }
}
