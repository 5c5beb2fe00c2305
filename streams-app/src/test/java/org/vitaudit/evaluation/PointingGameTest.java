package org.vitaudit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vitaudit.engine.ClassSaliency;

class PointingGameTest {
  private static ClassSaliency peakAt(int row, int col) {
    float[] v = new float[49];
    v[row * 7 + col] = 1;
    return new ClassSaliency(0, 7, 7, v, 0, 1);
  }

  @Test
  void hitWhenThePeakCellTouchesTheBox() {
    // 28x28 image, 7x7 grid: cell (1, 2) covers x 8..11, y 4..7.
    Box box = new Box(11, 7, 20, 20);
    assertThat(PointingGame.hit(peakAt(1, 2), box, 28, 28)).isTrue();
    assertThat(PointingGame.hit(peakAt(0, 2), box, 28, 28)).isFalse(); // y 0..3
    assertThat(PointingGame.hit(peakAt(1, 1), box, 28, 28)).isFalse(); // x 4..7
    assertThat(PointingGame.hit(peakAt(5, 5), box, 28, 28)).isTrue();
  }

  @Test
  void baselineIsTheShareOfCellsTouchingTheBox() {
    // Box x 4..11, y 4..7 touches columns 1-2 of row 1: 2 of 49 cells.
    assertThat(PointingGame.baseline(7, 7, new Box(4, 4, 11, 7), 28, 28)).isEqualTo(2.0 / 49);
    assertThat(PointingGame.baseline(7, 7, new Box(0, 0, 27, 27), 28, 28)).isEqualTo(1.0);
  }
}
