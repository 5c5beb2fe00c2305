package org.vitaudit.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {

  @Test
  void sizesCountBothEnds() {
    BoundingBox b = new BoundingBox(3, 4, 3, 10);
    assertThat(b.width()).isEqualTo(1);
    assertThat(b.height()).isEqualTo(7);
  }

  @Test
  void gapIsMeasuredInFreePixelsBetweenBoxes() {
    BoundingBox a = new BoundingBox(0, 0, 9, 9);
    assertThat(a.intersects(new BoundingBox(9, 9, 12, 12))).isTrue();
    assertThat(a.intersects(new BoundingBox(10, 0, 12, 9))).isFalse();
    // Columns 10 and 11 free: a gap of 2 is kept, a gap of 3 is not.
    assertThat(a.closerThan(new BoundingBox(12, 0, 14, 9), 2)).isFalse();
    assertThat(a.closerThan(new BoundingBox(12, 0, 14, 9), 3)).isTrue();
  }

  @Test
  void rejectsEmptyBoxes() {
    assertThatThrownBy(() -> new BoundingBox(5, 0, 4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
