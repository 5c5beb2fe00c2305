package org.vitaudit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.testing.Fixture;

/** Rollout reads the model's attention through a session the engine lends, and closes with it. */
class RolloutMethodTest {
  @Test
  void readsOneRowStochasticAttentionMatrixPerBlock() {
    Fixture f = Fixture.named("timm_vit");
    try (SaliencyEngine engine = SaliencyEngine.open(f.bundle(), f.engineOptions())) {
      int t = engine.facts().layout().tokens();
      List<float[]> maps = new AttentionMapReader(engine).read(f.expectedInput());
      assertThat(maps)
          .isNotEmpty()
          .allSatisfy(
              a -> {
                assertThat(a).hasSize(t * t);
                for (int i = 0; i < t; i++) {
                  double sum = 0;
                  for (int j = 0; j < t; j++) {
                    sum += a[i * t + j];
                  }
                  assertThat(sum).isCloseTo(1, within(1e-4));
                }
              });
    }
  }

  @Test
  void aClosedEngineSaysSo() {
    Fixture f = Fixture.named("timm_vit");
    SaliencyEngine engine = SaliencyEngine.open(f.bundle(), f.engineOptions());
    RolloutMethod rollout = new RolloutMethod(engine);
    assertThat(rollout.explain(f.expectedInput(), 0).map())
        .hasSize(engine.facts().layout().cells());
    engine.close();
    assertThatThrownBy(() -> rollout.explain(f.expectedInput(), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the saliency engine for timm_vit is closed");
  }
}
