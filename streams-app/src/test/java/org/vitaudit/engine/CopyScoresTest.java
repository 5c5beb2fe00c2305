package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.vitaudit.model.TokenLayout;

class CopyScoresTest {
  private static final TokenLayout GRID = new TokenLayout(1, 2, 2);

  @Test
  void mapIsMinMaxOfTheClassScoreOverCopies() {
    // 4 copies x 2 classes of logits; class 0's scores are 1, 3, 2, 5.
    CopyScores s = CopyScores.fromLogits(new float[] {1, 0, 3, 0, 2, 0, 5, 0}, 4, ScoreMode.LOGITS);
    ClassSaliency m = s.mapFor(0, GRID);
    assertThat(m.values()).containsExactly(0f, 0.5f, 0.25f, 1f);
    assertThat(m.scoreMin()).isEqualTo(1);
    assertThat(m.scoreMax()).isEqualTo(5);
    assertThat(m.peak()).containsExactly(1, 1);
  }

  @Test
  void constantScoresGiveAnAllZeroMapNotNaN() {
    CopyScores s =
        CopyScores.fromLogits(new float[] {2, 1, 2, 1, 2, 1, 2, 1}, 4, ScoreMode.SOFTMAX);
    assertThat(s.mapFor(1, GRID).values()).containsOnly(0f);
  }

  @Test
  void softmaxScoresSumToOnePerCopy() {
    CopyScores s = CopyScores.fromLogits(new float[] {1, 2, 3, -1, 0, 40}, 2, ScoreMode.SOFTMAX);
    assertThat(s.get(0, 0) + s.get(0, 1) + s.get(0, 2)).isCloseTo(1, within(1e-12));
    assertThat(s.get(0, 2))
        .isCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), within(1e-12));
    assertThat(s.get(1, 2)).isCloseTo(1, within(1e-12));
  }

  @Test
  void aClassOutsideTheModelIsRefused() {
    CopyScores s = CopyScores.fromLogits(new float[] {1, 2, 3, 4}, 2, ScoreMode.SOFTMAX);
    assertThatThrownBy(() -> s.mapFor(2, new TokenLayout(0, 1, 2)))
        .hasMessageContaining("out of range");
  }
}
