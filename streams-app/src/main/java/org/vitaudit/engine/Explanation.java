package org.vitaudit.engine;

import java.util.List;

/**
 * What the engine says about one image: the model's own prediction, the requested maps, and H's
 * scores for every class (so more maps can be drawn later without running the model again).
 *
 * @param gMillis this image's share of the batched G run
 * @param hMillis time spent in H for this image
 */
public record Explanation(float[] logits, double[] probabilities, List<RankedClass> predictions,
    List<ClassSaliency> maps, CopyScores scores, double gMillis, double hMillis) {

  public RankedClass top() {
    return predictions.get(0);
  }

  public ClassSaliency mapFor(int classIndex) {
    return maps.stream().filter(m -> m.classIndex() == classIndex).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no map for class " + classIndex));
  }
}
