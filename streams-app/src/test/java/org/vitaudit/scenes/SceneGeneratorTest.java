package org.vitaudit.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
  private final SceneGenerator single = new SceneGenerator(SceneSpec.defaults());
  private final SceneGenerator pairs = new SceneGenerator(SceneSpec.defaults().withObjectCount(2));

  @Test
  void sameSeedAndIndexGiveIdenticalScenes() {
    Scene a = single.generate(42, 17);
    Scene b = new SceneGenerator(SceneSpec.defaults()).generate(42, 17);
    assertThat(pixels(a.image())).isEqualTo(pixels(b.image()));
    assertThat(a.objects()).isEqualTo(b.objects());
  }

  @Test
  void sceneDoesNotDependOnTheScenesMadeBeforeIt() {
    Scene direct = single.generate(3, 9);
    for (int i = 0; i < 9; i++) {
      single.generate(3, i);
    }
    assertThat(pixels(single.generate(3, 9).image())).isEqualTo(pixels(direct.image()));
  }

  @Test
  void differentSeedsAndIndicesGiveDifferentScenes() {
    int[] base = pixels(single.generate(1, 0).image());
    assertThat(pixels(single.generate(2, 0).image())).isNotEqualTo(base);
    assertThat(pixels(single.generate(1, 1).image())).isNotEqualTo(base);
  }

  @Test
  void imageHasTheRequestedSize() {
    Scene s = new SceneGenerator(SceneSpec.defaults().withSize(128)).generate(5, 0);
    assertThat(s.image().getWidth()).isEqualTo(128);
    assertThat(s.image().getHeight()).isEqualTo(128);
    // Objects scale with the image: at least a quarter of the side in one direction.
    BoundingBox box = s.objects().get(0).box();
    assertThat(Math.max(box.width(), box.height())).isGreaterThanOrEqualTo(128 / 5);
  }

  /**
   * The box is checked against the pixels alone: painting the objects over the backdrop must change
   * pixels inside the boxes only, and touch every edge of each box (so it is tight).
   */
  @Test
  void boxesEncloseExactlyThePixelsTheObjectsChange() {
    for (SceneGenerator generator : List.of(single, pairs)) {
      for (int i = 0; i < 150; i++) {
        Scene scene = generator.generate(11, i);
        int[] drawn = pixels(scene.image());
        int[] under = pixels(generator.backdrop(11, i));
        int size = scene.image().getWidth();
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            if (drawn[y * size + x] != under[y * size + x]) {
              int px = x;
              int py = y;
              assertThat(scene.objects())
                  .as("scene %d: changed pixel (%d,%d) lies in a box", i, x, y)
                  .anyMatch(o -> o.box().contains(px, py));
            }
          }
        }
        for (PlacedObject o : scene.objects()) {
          BoundingBox b = o.box();
          assertThat(changedOnRow(drawn, under, size, b, b.y0())).as("top edge of %s", b).isTrue();
          assertThat(changedOnRow(drawn, under, size, b, b.y1()))
              .as("bottom edge of %s", b)
              .isTrue();
          assertThat(changedOnColumn(drawn, under, size, b, b.x0()))
              .as("left edge of %s", b)
              .isTrue();
          assertThat(changedOnColumn(drawn, under, size, b, b.x1()))
              .as("right edge of %s", b)
              .isTrue();
        }
      }
    }
  }

  @Test
  void everyObjectStandsOutFromWhatItCovers() {
    for (int i = 0; i < 200; i++) {
      Scene scene = pairs.generate(23, i);
      int[] drawn = pixels(scene.image());
      int[] under = pixels(pairs.backdrop(23, i));
      int size = scene.image().getWidth();
      for (PlacedObject o : scene.objects()) {
        double strongest = 0;
        BoundingBox b = o.box();
        for (int y = b.y0(); y <= b.y1(); y++) {
          for (int x = b.x0(); x <= b.x1(); x++) {
            int k = y * size + x;
            strongest =
                Math.max(strongest, Math.abs(Colours.luma(drawn[k]) - Colours.luma(under[k])));
          }
        }
        assertThat(strongest).as("scene %d, %s", i, o).isGreaterThanOrEqualTo(LumaBand.MARGIN - 1);
      }
    }
  }

  @Test
  void twoObjectScenesHoldDifferentClassesWithSeparateBoxes() {
    for (int i = 0; i < 300; i++) {
      List<PlacedObject> objects = pairs.generate(7, i).objects();
      assertThat(objects).hasSize(2);
      assertThat(objects.get(0).shapeClass()).isNotEqualTo(objects.get(1).shapeClass());
      assertThat(objects.get(0).box().closerThan(objects.get(1).box(), ObjectLayout.GAP))
          .as("scene %d boxes %s", i, objects)
          .isFalse();
    }
  }

  @Test
  void classesAreBalanced() {
    Map<ShapeClass, Integer> counts = new EnumMap<>(ShapeClass.class);
    int scenes = 800;
    for (int i = 0; i < scenes; i++) {
      counts.merge(single.generate(99, i).objects().get(0).shapeClass(), 1, Integer::sum);
    }
    int expected = scenes / ShapeClass.values().length; // 100; one standard deviation is about 9
    assertThat(counts).hasSize(ShapeClass.values().length);
    assertThat(counts.values())
        .allSatisfy(n -> assertThat(n).isBetween(expected - 30, expected + 30));
  }

  @Test
  void objectsLieInsideTheImageWithASpreadOfSizes() {
    int smallest = Integer.MAX_VALUE;
    int largest = 0;
    for (int i = 0; i < 300; i++) {
      BoundingBox b = single.generate(5, i).objects().get(0).box();
      assertThat(b.x0()).isGreaterThanOrEqualTo(0);
      assertThat(b.y0()).isGreaterThanOrEqualTo(0);
      assertThat(b.x1()).isLessThan(64);
      assertThat(b.y1()).isLessThan(64);
      int extent = Math.max(b.width(), b.height());
      smallest = Math.min(smallest, extent);
      largest = Math.max(largest, extent);
    }
    assertThat(smallest).isBetween(10, 18);
    assertThat(largest).isBetween(26, 34);
  }

  private static boolean changedOnRow(int[] a, int[] b, int size, BoundingBox box, int y) {
    for (int x = box.x0(); x <= box.x1(); x++) {
      if (a[y * size + x] != b[y * size + x]) {
        return true;
      }
    }
    return false;
  }

  private static boolean changedOnColumn(int[] a, int[] b, int size, BoundingBox box, int x) {
    for (int y = box.y0(); y <= box.y1(); y++) {
      if (a[y * size + x] != b[y * size + x]) {
        return true;
      }
    }
    return false;
  }

  static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
