package org.vitaudit.evaluation;

import java.util.List;
import java.util.function.IntConsumer;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.image.ModelInput;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.scenes.PlacedObject;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;

/**
 * The paper's multi-class experiment (its Figure 5) on generated two-object scenes: the map of each
 * present class, drawn from the same H runs, should point at that class's object.
 */
public final class TwoObjectPointing {
  /** Hits and chance over every (scene, present class) pair, in percent. */
  public record Result(int scenes, double pointing, double chance, double bothInTopTwo) {}

  private TwoObjectPointing() {}

  public static Result run(
      SaliencyEngine engine,
      Preprocessor pre,
      MaskSpec masks,
      int count,
      long seed,
      IntConsumer progress) {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults().withObjectCount(2));
    int pairs = 0;
    int hits = 0;
    double chance = 0;
    int bothTop = 0;
    for (int i = 0; i < count; i++) {
      Scene scene = generator.generate(seed, i);
      ModelInput input = pre.prepare(scene.image());
      List<Integer> present =
          scene.objects().stream().map(o -> engine.facts().classOf(o.className())).toList();
      Explanation e =
          engine.explain(input.tensor(), new ExplainRequest(masks, ScoreMode.SOFTMAX, 2, present));
      bothTop +=
          e.predictions().stream().map(p -> p.classIndex()).toList().containsAll(present) ? 1 : 0;
      for (int k = 0; k < present.size(); k++) {
        PlacedObject o = scene.objects().get(k);
        double[] b = input.mapBox(o.box().x0(), o.box().y0(), o.box().x1(), o.box().y1());
        Box box = new Box(b[0], b[1], b[2], b[3]);
        var map = e.mapFor(present.get(k));
        int h = pre.spec().height();
        int w = pre.spec().width();
        hits += PointingGame.hit(map, box, h, w) ? 1 : 0;
        chance += PointingGame.baseline(map.height(), map.width(), box, h, w);
        pairs++;
      }
      progress.accept(i + 1);
    }
    return new Result(count, 100.0 * hits / pairs, 100.0 * chance / pairs, 100.0 * bothTop / count);
  }
}
