package org.vitaudit.scenes;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A generated scene: an RGB image ({@link BufferedImage#TYPE_INT_RGB}) and its target objects in
 * drawing order. The image is the caller's to keep; the generator holds no reference to it.
 */
public record Scene(BufferedImage image, List<PlacedObject> objects) {

  public Scene {
    objects = List.copyOf(objects);
  }
}
