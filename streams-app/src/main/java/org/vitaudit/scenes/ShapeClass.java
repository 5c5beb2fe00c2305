package org.vitaudit.scenes;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The object classes, in label order: the ordinal is the class index the demo model is trained with
 * and the order of {@code labels} in its {@code model.json}. Append new classes at the end only, or
 * every trained model goes out of step.
 *
 * <p>Each outline lies inside the unit disk centred on the origin, so an object's drawn size is
 * governed by one radius whatever its class, and size cannot give the class away.
 */
public enum ShapeClass {
  CIRCLE(() -> new Ellipse2D.Double(-1, -1, 2, 2)),
  SQUARE(() -> regularPolygon(4, 1.0, Math.PI / 4)),
  TRIANGLE(() -> regularPolygon(3, 1.0, -Math.PI / 2)),
  STAR(ShapeClass::star),
  CROSS(ShapeClass::cross),
  RING(ShapeClass::ring),
  CRESCENT(ShapeClass::crescent),
  ARROW(ShapeClass::arrow);

  private final Supplier<Shape> outline;

  ShapeClass(Supplier<Shape> outline) {
    this.outline = outline;
  }

  /** The label written to {@code labels.csv} and {@code model.json}, e.g. {@code star}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The class's outline in unit coordinates (inside the unit disk), before placement. */
  public Shape unitOutline() {
    return outline.get();
  }

  private static Shape regularPolygon(int corners, double radius, double startAngle) {
    double[] radii = new double[corners];
    Arrays.fill(radii, radius);
    return radialPolygon(startAngle, radii);
  }

  // Inner radius 0.42 keeps the points thick enough to survive rasterising at 16 px.
  private static Shape star() {
    return radialPolygon(-Math.PI / 2, 1, 0.42, 1, 0.42, 1, 0.42, 1, 0.42, 1, 0.42);
  }

  /** Vertex k at angle {@code startAngle + 2 pi k / n} and distance {@code radii[k]} from 0. */
  private static Shape radialPolygon(double startAngle, double... radii) {
    Path2D.Double p = new Path2D.Double();
    for (int k = 0; k < radii.length; k++) {
      double a = startAngle + 2 * Math.PI * k / radii.length;
      if (k == 0) {
        p.moveTo(radii[k] * Math.cos(a), radii[k] * Math.sin(a));
      } else {
        p.lineTo(radii[k] * Math.cos(a), radii[k] * Math.sin(a));
      }
    }
    p.closePath();
    return p;
  }

  // Arm half-width 0.22 and half-length 0.97 keep the arm corners inside the unit disk.
  private static Shape cross() {
    Area a = new Area(new Rectangle2D.Double(-0.97, -0.22, 1.94, 0.44));
    a.add(new Area(new Rectangle2D.Double(-0.22, -0.97, 0.44, 1.94)));
    return a;
  }

  // A hole of radius 0.55 leaves a band about 4 px wide at the smallest size: still a ring.
  private static Shape ring() {
    Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
    a.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
    return a;
  }

  // The bite is offset so the crescent is 0.6 thick at its widest, clearly not a ring.
  private static Shape crescent() {
    Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
    a.subtract(new Area(new Ellipse2D.Double(-0.4, -0.85, 1.7, 1.7)));
    return a;
  }

  // A shaft as well as a head, so it cannot pass for a triangle.
  private static Shape arrow() {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-0.95, -0.2);
    p.lineTo(0.15, -0.2);
    p.lineTo(0.15, -0.55);
    p.lineTo(0.95, 0);
    p.lineTo(0.15, 0.55);
    p.lineTo(0.15, 0.2);
    p.lineTo(-0.95, 0.2);
    p.closePath();
    return p;
  }
}
