package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitaudit.evaluation.Box;
import org.vitaudit.evaluation.PointingGame;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.scenes.PlacedObject;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;
import org.vitaudit.scenes.ShapeClass;
import org.vitaudit.testing.DefaultOptions;

/**
 * The bundled demo model through the project's own ONNX Runtime path, on scenes it never saw (a
 * seed apart from training's): accurate, and its maps point at the object.
 */
class DemoModelTest {
  /** Seeds the training script does not use (see tools/demo-model/README.md). */
  static final long SINGLE_SEED = 9_001;

  static final long TWO_SEED = 9_002;

  private static SaliencyEngine engine;
  private static Preprocessor pre;

  @BeforeAll
  static void open() {
    ModelSetup setup =
        ModelSetup.resolve(ModelBundle.demo(), PreprocessingOverrides.NONE, Optional.empty());
    engine =
        SaliencyEngine.open(
            setup.bundle(), DefaultOptions.engine(setup.inputShape(), setup.labels()));
    pre = new Preprocessor(setup.preprocessing());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Box box(PlacedObject o) {
    return new Box(o.box().x0(), o.box().y0(), o.box().x1(), o.box().y1());
  }

  @Test
  void itsLabelsAreTheGeneratorsClassesInOrder() {
    List<String> classes = Arrays.stream(ShapeClass.values()).map(ShapeClass::label).toList();
    assertThat(engine.facts().labels()).containsExactlyElementsOf(classes);
    assertThat(engine.facts().layout().cells()).isGreaterThanOrEqualTo(64);
  }

  @Test
  void isAccurateAndItsMapsPointAtTheObject() {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    int n = 300;
    int correct = 0;
    int hits = 0;
    double chance = 0;
    for (int i = 0; i < n; i++) {
      Scene s = generator.generate(SINGLE_SEED, i);
      PlacedObject o = s.objects().get(0);
      Explanation e = engine.explain(pre.prepare(s.image()).tensor(), ExplainRequest.DEFAULT);
      correct += e.top().classIndex() == o.classIndex() ? 1 : 0;
      hits +=
          PointingGame.hit(e.maps().get(0), box(o), s.image().getHeight(), s.image().getWidth())
              ? 1
              : 0;
      ClassSaliency m = e.maps().get(0);
      chance +=
          PointingGame.baseline(
                  m.height(), m.width(), box(o), s.image().getHeight(), s.image().getWidth())
              / n;
    }
    double accuracy = (double) correct / n;
    double pointing = (double) hits / n;
    System.out.printf(
        "demo model: accuracy %.1f %%, pointing %.1f %% (chance %.1f %%)%n",
        100 * accuracy, 100 * pointing, 100 * chance);
    assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
    assertThat(pointing).isGreaterThanOrEqualTo(0.60);
    assertThat(pointing).isGreaterThanOrEqualTo(2.5 * chance);
  }

  @Test
  void inTwoObjectScenesEachPresentClassesMapFindsItsObject() {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults().withObjectCount(2));
    int n = 150;
    int hits = 0;
    for (int i = 0; i < n; i++) {
      Scene s = generator.generate(TWO_SEED, i);
      List<Integer> classes = s.objects().stream().map(PlacedObject::classIndex).toList();
      Explanation e =
          engine.explain(
              pre.prepare(s.image()).tensor(),
              new ExplainRequest(MaskSpec.DEFAULT, ScoreMode.SOFTMAX, 0, classes));
      for (PlacedObject o : s.objects()) {
        hits +=
            PointingGame.hit(
                    e.mapFor(o.classIndex()), box(o), s.image().getHeight(), s.image().getWidth())
                ? 1
                : 0;
      }
    }
    double rate = hits / (2.0 * n);
    System.out.printf(
        "demo model, two objects: each class's map on its object %.1f %%%n", 100 * rate);
    assertThat(rate).isGreaterThanOrEqualTo(0.40);
  }

  @Test
  void theFastHGivesTheGenericHsMaps() {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    List<float[]> inputs =
        IntStream.range(0, 8)
            .mapToObj(i -> pre.prepare(generator.generate(SINGLE_SEED, i).image()).tensor())
            .toList();
    ModelSetup setup =
        ModelSetup.resolve(ModelBundle.demo(), PreprocessingOverrides.NONE, Optional.empty());
    FastHTest.assertSameMaps(
        setup.bundle(), DefaultOptions.engine(setup.inputShape(), setup.labels()), inputs);
  }
}
