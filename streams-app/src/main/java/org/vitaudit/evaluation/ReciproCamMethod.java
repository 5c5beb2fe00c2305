package org.vitaudit.evaluation;

import java.util.List;
import org.vitaudit.engine.ClassSaliency;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;

/**
 * ViT-ReciproCAM with one mask set, on an engine (whose feature source makes the block variant).
 */
public final class ReciproCamMethod implements SaliencyMethod {
  private final String name;
  private final SaliencyEngine engine;
  private final MaskSpec masks;

  public ReciproCamMethod(String name, SaliencyEngine engine, MaskSpec masks) {
    this.name = name;
    this.engine = engine;
    this.masks = masks;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Output explain(float[] input, int classIndex) {
    Explanation e =
        engine.explain(input, new ExplainRequest(masks, ScoreMode.SOFTMAX, 0, List.of(classIndex)));
    ClassSaliency m = e.mapFor(classIndex);
    return new Output(m.values(), m.height(), m.width(), e.probabilities()[classIndex]);
  }
}
