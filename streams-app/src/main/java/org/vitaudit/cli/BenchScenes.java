package org.vitaudit.cli;

import java.util.List;
import java.util.stream.IntStream;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;

/** Generated scenes as benchmark inputs, so a bench needs no image files. */
final class BenchScenes {
  /** Its own seed, apart from training and test seeds. */
  static final long SEED = 7_000;

  private BenchScenes() {}

  static List<float[]> tensors(int count, Preprocessor pre) {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    return IntStream.range(0, count).mapToObj(i -> pre.prepare(generator.generate(SEED, i).image()).tensor()).toList();
  }
}
