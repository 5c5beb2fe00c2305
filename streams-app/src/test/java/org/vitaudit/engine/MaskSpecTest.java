package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.vitaudit.model.TokenLayout;

class MaskSpecTest {
  private static final TokenLayout LAYOUT = new TokenLayout(2, 3, 4);

  private static float sumOfPatchWeights(float[] w, int copy) {
    float s = 0;
    for (int t = LAYOUT.prefix(); t < LAYOUT.tokens(); t++) {
      s += w[copy * LAYOUT.tokens() + t];
    }
    return s;
  }

  @Test
  void gaussianCopiesDropOffGridCellsWithoutRenormalising() {
    float[] w = MaskSpec.DEFAULT.weights(LAYOUT);
    assertThat(w).hasSize(12 * 14);
    assertThat(sumOfPatchWeights(w, 0)).isCloseTo(9f / 16, within(1e-6f)); // corner
    assertThat(sumOfPatchWeights(w, 1)).isCloseTo(12f / 16, within(1e-6f)); // top edge
    assertThat(sumOfPatchWeights(w, 5)).isCloseTo(1f, within(1e-6f)); // interior (row 1, col 1)
    // Copy 5 is centred on (1, 1): weight 1/4 there, 1/8 beside, 1/16 diagonal, 0 two cells away.
    int t = LAYOUT.tokens();
    assertThat(w[5 * t + 2 + 5]).isEqualTo(0.25f);
    assertThat(w[5 * t + 2 + 4]).isEqualTo(0.125f);
    assertThat(w[5 * t + 2 + 0]).isEqualTo(0.0625f);
    assertThat(w[5 * t + 2 + 7]).isZero();
  }

  @Test
  void prefixTokensAreKeptWholeOrZeroed() {
    float[] kept = MaskSpec.DEFAULT.weights(LAYOUT);
    float[] zeroed = new MaskSpec(MaskKernel.GAUSSIAN, false).weights(LAYOUT);
    for (int n = 0; n < LAYOUT.cells(); n++) {
      assertThat(kept[n * 14]).isEqualTo(1f);
      assertThat(kept[n * 14 + 1]).isEqualTo(1f);
      assertThat(zeroed[n * 14]).isZero();
      assertThat(zeroed[n * 14 + 1]).isZero();
    }
  }

  @Test
  void diracKeepsExactlyItsOwnToken() {
    float[] w = new MaskSpec(MaskKernel.DIRAC, true).weights(LAYOUT);
    for (int n = 0; n < LAYOUT.cells(); n++) {
      for (int cell = 0; cell < LAYOUT.cells(); cell++) {
        assertThat(w[n * 14 + 2 + cell]).isEqualTo(cell == n ? 1f : 0f);
      }
    }
  }
}
