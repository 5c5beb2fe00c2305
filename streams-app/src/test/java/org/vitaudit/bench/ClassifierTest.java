package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.testing.Fixture;

/** The plain model gives the engine's own logits, and a closed one says so. */
class ClassifierTest {
  @Test
  void givesTheModelsLogitsAndFailsClearlyAfterClose() {
    Fixture f = Fixture.named("timm_vit");
    Classifier plain = new Classifier(f.bundle(), new int[] {3, 32, 32}, Device.parse("cpu"), 0);
    try (SaliencyEngine engine = SaliencyEngine.open(f.bundle(), f.engineOptions())) {
      float[] logits = plain.logits(f.expectedInput());
      assertThat(logits).hasSize(engine.facts().classes());
      double[] p = engine.probabilities(f.expectedInput());
      int top = 0;
      for (int c = 1; c < logits.length; c++) {
        top = logits[c] > logits[top] ? c : top;
      }
      assertThat(p[top]).isEqualTo(Arrays.stream(p).max().orElseThrow());
    }
    plain.close();
    plain.close();
    assertThatThrownBy(() -> plain.logits(f.expectedInput()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the model is closed");
  }
}
