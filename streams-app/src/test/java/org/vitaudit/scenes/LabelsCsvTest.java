package org.vitaudit.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsCsvTest {

  @Test
  void headersNameTheColumnsOfOneOrTwoObjects() {
    assertThat(LabelsCsv.header(1)).isEqualTo("file,label,x0,y0,x1,y1");
    assertThat(LabelsCsv.header(2)).isEqualTo("file,label,x0,y0,x1,y1,label2,x0_2,y0_2,x1_2,y1_2");
  }

  @Test
  void rowListsClassNameAndInclusiveBoxPerObject() {
    Scene scene =
        new Scene(
            new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB),
            List.of(
                new PlacedObject(ShapeClass.STAR, new BoundingBox(1, 2, 30, 40)),
                new PlacedObject(ShapeClass.RING, new BoundingBox(33, 0, 63, 20))));
    assertThat(LabelsCsv.row("scene_000004.png", scene))
        .isEqualTo("scene_000004.png,star,1,2,30,40,ring,33,0,63,20");
  }
}
