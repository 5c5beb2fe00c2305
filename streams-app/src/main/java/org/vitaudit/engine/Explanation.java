package org.vitaudit.engine;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What the engine says about one image: the model's own prediction, the requested maps, and H's
 * scores for every class (so more maps can be drawn later without running the model again).
 *
 * @param gMillis this image's share of the batched G run
 * @param hMillis time spent in H for this image
 */
public record Explanation(
    float[] logits,
    double[] probabilities,
    List<RankedClass> predictions,
    List<ClassSaliency> maps,
    CopyScores scores,
    double gMillis,
    double hMillis) {

  /**
   * The classes ranked by probability, the top {@code topK} of them mapped and any class the
   * request names besides.
   */
  static Explanation ranked(
      float[] logits,
      CopyScores scores,
      ExplainRequest request,
      ModelFacts facts,
      double gMillis,
      double hMillis) {
    double[] probabilities = Softmax.of(logits);
    List<Integer> ranked =
        IntStream.range(0, probabilities.length)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]))
            .toList();
    List<RankedClass> predictions =
        ranked.stream()
            .limit(Math.max(1, request.topK()))
            .map(c -> new RankedClass(c, facts.label(c), probabilities[c]))
            .toList();
    Set<Integer> mapped =
        new LinkedHashSet<>(ranked.subList(0, Math.min(request.topK(), ranked.size())));
    mapped.addAll(request.classes());
    List<ClassSaliency> maps = mapped.stream().map(c -> scores.mapFor(c, facts.layout())).toList();
    return new Explanation(logits, probabilities, predictions, maps, scores, gMillis, hMillis);
  }

  public RankedClass top() {
    return predictions.get(0);
  }

  public ClassSaliency mapFor(int classIndex) {
    return maps.stream()
        .filter(m -> m.classIndex() == classIndex)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no map for class " + classIndex));
  }
}
