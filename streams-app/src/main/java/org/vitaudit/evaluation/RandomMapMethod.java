package org.vitaudit.evaluation;

import java.util.SplittableRandom;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.TokenLayout;

/** The sanity baseline: a uniform random map, so any real method must score clearly above it. */
public final class RandomMapMethod implements SaliencyMethod {
  private final SaliencyEngine engine;
  private final SplittableRandom random;

  public RandomMapMethod(SaliencyEngine engine, long seed) {
    this.engine = engine;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public synchronized Output explain(float[] input, int classIndex) {
    TokenLayout layout = engine.facts().layout();
    float[] map = new float[layout.cells()];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) random.nextDouble();
    }
    return new Output(
        MapMath.minMax(map),
        layout.gridHeight(),
        layout.gridWidth(),
        engine.probabilities(input)[classIndex]);
  }
}
