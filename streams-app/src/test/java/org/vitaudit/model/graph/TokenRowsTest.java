package org.vitaudit.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.model.TokenLayout;

class TokenRowsTest {
  private static final TokenLayout LAYOUT = new TokenLayout(1, 4, 4);

  @Test
  void distinctRowsRebuildEveryMaskedCopy() {
    for (MaskSpec spec :
        new MaskSpec[] {
          MaskSpec.DEFAULT,
          new MaskSpec(MaskKernel.DIRAC, true),
          new MaskSpec(MaskKernel.GAUSSIAN, false)
        }) {
      float[] masks = spec.weights(LAYOUT);
      TokenRows rows = TokenRows.distinct(masks, LAYOUT.cells(), LAYOUT.tokens());
      int kept = (spec.kernel() == MaskKernel.GAUSSIAN ? 9 : 1) + (spec.keepPrefix() ? 1 : 0);
      assertThat(rows.rows()).as(spec.variantName()).isEqualTo(kept + 1);
      assertThat(rows.shared()).isFalse();
      for (int c = 0; c < LAYOUT.cells(); c++) {
        for (int t = 0; t < LAYOUT.tokens(); t++) {
          int row = (int) rows.tokenToRow()[c * LAYOUT.tokens() + t];
          float m = masks[c * LAYOUT.tokens() + t];
          // Token t of copy c is row `row`: that row carries t's own weight, and t itself where
          // kept.
          assertThat(rows.weight()[c * rows.rows() + row]).isEqualTo(m);
          if (m != 0f) {
            assertThat(rows.source()[c * rows.rows() + row]).isEqualTo(t);
          }
        }
      }
    }
  }

  @Test
  void allZeroedTokensOfACopyShareOneRowAndShortCopiesPadWithZeroedRows() {
    float[] masks = MaskSpec.DEFAULT.weights(LAYOUT);
    TokenRows rows = TokenRows.distinct(masks, LAYOUT.cells(), LAYOUT.tokens());
    // Copy 0 sits in the corner: CLS and 4 grid tokens kept, rows 5..10 are zeroed rows.
    long[] corner = Arrays.copyOfRange(rows.tokenToRow(), 0, LAYOUT.tokens());
    assertThat(Arrays.stream(corner).distinct().count()).isEqualTo(6);
    for (int r = 5; r < rows.rows(); r++) {
      assertThat(rows.weight()[r]).isZero();
    }
  }

  @Test
  void prefixRowsAreSharedByEveryCopyAndMustBeTheSameInEach() {
    TokenRows rows =
        TokenRows.prefix(MaskSpec.DEFAULT.weights(LAYOUT), LAYOUT.cells(), LAYOUT.tokens(), 1);
    assertThat(rows.shared()).isTrue();
    assertThat(rows.rows()).isEqualTo(1);
    assertThat(rows.weight()[0]).isEqualTo(1f);
    float[] uneven = MaskSpec.DEFAULT.weights(LAYOUT);
    uneven[LAYOUT.tokens()] = 0.5f; // copy 1's CLS weight
    assertThatThrownBy(() -> TokenRows.prefix(uneven, LAYOUT.cells(), LAYOUT.tokens(), 1))
        .hasMessageContaining("differ between copies");
  }
}
