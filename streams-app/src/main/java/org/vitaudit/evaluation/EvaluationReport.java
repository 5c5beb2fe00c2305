package org.vitaudit.evaluation;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@code evaluate}: top-1 accuracy where labels are known, and one row per method.
 */
public record EvaluationReport(
    int images, Optional<Double> accuracy, List<VariantResult> variants) {

  public VariantResult variant(String name) {
    return variants.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
  }
}
