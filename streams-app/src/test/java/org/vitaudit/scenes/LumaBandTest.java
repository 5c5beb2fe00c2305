package org.vitaudit.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LumaBandTest {

  @Test
  void objectLumaKeepsTheMarginFromEveryBackdropLumaWhereverTheBandLies() {
    SceneRandom r = SceneRandom.forScene(1, 2);
    for (int low = 0; low + LumaBand.WIDTH <= 255; low += 5) {
      LumaBand band = new LumaBand(low);
      for (int k = 0; k < 200; k++) {
        double y = band.objectLuma(r);
        assertThat(y).isBetween(0.0, 255.0);
        boolean below = y <= band.backdropMin() - LumaBand.MARGIN;
        boolean above = y >= band.backdropMax() + LumaBand.MARGIN;
        assertThat(below || above).as("band %d..%d, object luma %.1f", low, low + 60, y).isTrue();
      }
    }
  }

  @Test
  void coloursHitTheirTargetLuma() {
    SceneRandom r = SceneRandom.forScene(3, 4);
    for (int target = 0; target <= 255; target += 15) {
      assertThat(Colours.luma(Colours.randomWithLuma(r, target))).isCloseTo(target, within(1.0));
    }
  }

  private static Offset<Double> within(double d) {
    return Offset.offset(d);
  }
}
