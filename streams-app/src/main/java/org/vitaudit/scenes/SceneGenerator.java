package org.vitaudit.scenes;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import org.vitaudit.scenes.SceneRandom.Stream;

/**
 * Makes synthetic scenes for training and checking the demo model: a varied background, some
 * clutter, and one or two target objects whose class is their shape.
 *
 * <p>Scene {@code index} of {@code seed} depends on that pair and the spec only, never on how many
 * scenes were made before it, so any slice of a data set can be regenerated on its own. Instances
 * are immutable and safe to share between threads.
 */
public final class SceneGenerator {
  private final SceneSpec spec;

  public SceneGenerator(SceneSpec spec) {
    this.spec = spec;
  }

  public SceneSpec spec() {
    return spec;
  }

  public Scene generate(long seed, int index) {
    SceneRandom scene = SceneRandom.forScene(seed, index);
    Backdrop backdrop = backdrop(scene);
    int[] pixels = pixels(backdrop.image());
    List<PlacedObject> objects = new ArrayList<>(spec.objectCount());
    SceneRandom r = scene.fork(Stream.OBJECTS);
    for (ObjectLayout.Placement p : ObjectLayout.place(r, spec.size(), spec.objectCount())) {
      p.mask().paint(pixels, Colours.randomWithLuma(r, backdrop.band().objectLuma(r)));
      objects.add(new PlacedObject(p.shapeClass(), p.box()));
    }
    return new Scene(backdrop.image(), objects);
  }

  /** The scene without its objects: what the objects are painted over (tests compare the two). */
  BufferedImage backdrop(long seed, int index) {
    return backdrop(SceneRandom.forScene(seed, index)).image();
  }

  private record Backdrop(BufferedImage image, LumaBand band) {}

  private Backdrop backdrop(SceneRandom scene) {
    SceneRandom r = scene.fork(Stream.BACKGROUND);
    LumaBand band = LumaBand.random(r);
    int size = spec.size();
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    System.arraycopy(BackgroundPainter.paint(r, size, band), 0, pixels(image), 0, size * size);
    ClutterPainter.paint(image, scene.fork(Stream.CLUTTER), band, spec.maxClutter());
    return new Backdrop(image, band);
  }

  // The image's own pixel array (TYPE_INT_RGB, row-major): writes to it are writes to the image.
  private static int[] pixels(BufferedImage image) {
    return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
  }
}
