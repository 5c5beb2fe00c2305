package org.vitaudit.scenes;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses each target object's class, size, stretch, rotation and position, and rasterises it.
 * Everything but the outline is random, so only the shape tells the class.
 */
final class ObjectLayout {
  /** Object diameter as a share of the image side: 16 to 30 pixels at 64. */
  static final double MIN_DIAMETER = 0.25;

  static final double MAX_DIAMETER = 0.47;

  /** Largest stretch along one axis (and squeeze along the other), so a circle may be an oval. */
  static final double MAX_STRETCH = 1.1;

  /** Pixels kept free between two objects' boxes, so each object owns its own patch of image. */
  static final int GAP = 2;

  private static final int TRIES_PER_OBJECT = 50;

  /** An object placed on the canvas: its class, its coverage and the box of that coverage. */
  record Placement(ShapeClass shapeClass, CoverageMask mask, BoundingBox box) {}

  private ObjectLayout() {}

  /**
   * {@code count} objects of different classes whose boxes are at least {@link #GAP} apart. When an
   * object finds no room beside the earlier ones the whole layout starts again; with at most two
   * objects of under half the image side this ends after a few rounds.
   */
  static List<Placement> place(SceneRandom r, int size, int count) {
    List<ShapeClass> classes = distinctClasses(r, count);
    while (true) {
      List<Placement> placed = new ArrayList<>(count);
      for (ShapeClass c : classes) {
        Optional<Placement> p = placeBeside(placed, c, r, size);
        if (p.isEmpty()) {
          break;
        }
        placed.add(p.get());
      }
      if (placed.size() == count) {
        return placed;
      }
    }
  }

  // Uniform over the classes, then uniform over those not yet chosen: balanced, and never twice.
  private static List<ShapeClass> distinctClasses(SceneRandom r, int count) {
    List<ShapeClass> pool = new ArrayList<>(List.of(ShapeClass.values()));
    List<ShapeClass> chosen = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      chosen.add(pool.remove(r.nextInt(pool.size())));
    }
    return chosen;
  }

  private static Optional<Placement> placeBeside(
      List<Placement> placed, ShapeClass c, SceneRandom r, int size) {
    for (int attempt = 0; attempt < TRIES_PER_OBJECT; attempt++) {
      CoverageMask mask = CoverageMask.render(randomPose(c, r, size), size);
      Optional<BoundingBox> box = mask.box();
      if (box.isPresent() && placed.stream().noneMatch(p -> p.box().closerThan(box.get(), GAP))) {
        return Optional.of(new Placement(c, mask, box.get()));
      }
    }
    return Optional.empty();
  }

  private static Shape randomPose(ShapeClass c, SceneRandom r, int size) {
    double radius = r.uniform(MIN_DIAMETER, MAX_DIAMETER) * size / 2;
    double stretch = r.uniform(1 / MAX_STRETCH, MAX_STRETCH);
    double angle = r.uniform(0, 2 * Math.PI);
    // Keep the stretched unit disk, and so the whole outline, one pixel inside the image.
    double margin = radius * MAX_STRETCH + 1;
    double cx = r.uniform(margin, size - 1 - margin);
    double cy = r.uniform(margin, size - 1 - margin);
    AffineTransform t = new AffineTransform();
    t.translate(cx, cy);
    t.rotate(angle);
    t.scale(radius * stretch, radius / stretch);
    return t.createTransformedShape(c.unitOutline());
  }
}
