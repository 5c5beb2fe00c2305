package org.vitaudit.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import org.junit.jupiter.api.Test;

class CoverageMaskTest {

  @Test
  void pixelAlignedRectangleHasItsExactBox() {
    // Covers columns 10..24 and rows 20..31 fully, nothing else.
    CoverageMask m = CoverageMask.render(new Rectangle2D.Double(10, 20, 15, 12), 64);
    assertThat(m.box()).contains(new BoundingBox(10, 20, 24, 31));
    assertThat(m.at(10, 20)).isEqualTo(255);
    assertThat(m.at(9, 20)).isZero();
    assertThat(m.at(25, 31)).isZero();
  }

  @Test
  void faintEdgesAreCutSoTheBoxIsWhatIsVisiblyDrawn() {
    // A quarter-pixel sliver on column 30 covers ~25 % of each pixel: below the cut.
    CoverageMask m = CoverageMask.render(new Rectangle2D.Double(10, 10, 20.25, 5), 64);
    assertThat(m.box()).contains(new BoundingBox(10, 10, 29, 14));
  }

  @Test
  void circleBoxIsSymmetricAboutItsCentre() {
    CoverageMask m = CoverageMask.render(new Ellipse2D.Double(20, 20, 20, 20), 64);
    BoundingBox b = m.box().orElseThrow();
    assertThat(b.x0() + b.x1()).isEqualTo(59); // centre at 30.0 = between pixels 29 and 30
    assertThat(b.y0() + b.y1()).isEqualTo(59);
    assertThat(b.width()).isBetween(19, 21);
  }

  @Test
  void shapeOutsideTheCanvasHasNoBox() {
    assertThat(CoverageMask.render(new Rectangle2D.Double(100, 100, 5, 5), 64).box()).isEmpty();
  }
}
