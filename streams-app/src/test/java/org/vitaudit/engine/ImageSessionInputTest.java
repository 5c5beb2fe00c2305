package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.Fixture;

/**
 * The input buffer an image session reuses run after run carries nothing from one run to the next,
 * and an input of the wrong size gets a clear error.
 */
class ImageSessionInputTest {
  @Test
  void runsGiveTheSameOutputsWhateverRanBeforeAndAWrongSizeIsRefused() {
    Fixture f = Fixture.named("timm_vit");
    try (ImageSession s =
        ImageSession.of(f.bundle(), new int[] {3, 32, 32}, Device.parse("cpu"), 0, "the model")) {
      List<String> logits = List.of(s.outputNames().get(0));
      float[] first = s.run(f.expectedInput(), logits).get(0).values();
      float[] other = new float[3 * 32 * 32];
      Arrays.fill(other, 0.5f);
      float[] between = s.run(other, logits).get(0).values();
      assertThat(between).isNotEqualTo(first);
      assertThat(s.run(f.expectedInput(), logits).get(0).values()).containsExactly(first);
      assertThatThrownBy(() -> s.run(new float[10], logits))
          .isInstanceOf(EngineException.class)
          .hasMessage("the model: an input tensor has 10 values, the model expects 3072 (3x32x32)");
    }
  }
}
