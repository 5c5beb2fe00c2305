package org.vitaudit.scenes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * Draws distractors that belong to no class: thin lines, sprinkles of dots, and small irregular
 * blobs. They are thinner or smaller than any object (blobs stay under half the smallest object's
 * size) and use backdrop colours from the luma band, so they add edges a model must learn to ignore
 * without ever hiding or imitating an object.
 */
final class ClutterPainter {

  private enum Kind {
    LINE,
    DOTS,
    BLOB
  }

  private ClutterPainter() {}

  static void paint(BufferedImage image, SceneRandom r, LumaBand band, int maxItems) {
    int items = r.between(0, maxItems);
    if (items == 0) {
      return;
    }
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      int size = image.getWidth();
      for (int i = 0; i < items; i++) {
        g.setColor(new Color(Colours.randomWithLuma(r, band.clutterLuma(r))));
        switch (Kind.values()[r.nextInt(Kind.values().length)]) {
          case LINE -> line(g, r, size);
          case DOTS -> dots(g, r, size);
          case BLOB -> blob(g, r, size);
        }
      }
    } finally {
      g.dispose();
    }
  }

  private static void line(Graphics2D g, SceneRandom r, int size) {
    double x = r.uniform(0, size);
    double y = r.uniform(0, size);
    double angle = r.uniform(0, 2 * Math.PI);
    double length = r.uniform(0.15, 0.6) * size;
    g.setStroke(new BasicStroke((float) r.uniform(0.8, 1.4) * size / 64f));
    g.draw(new Line2D.Double(x, y, x + length * Math.cos(angle), y + length * Math.sin(angle)));
  }

  private static void dots(Graphics2D g, SceneRandom r, int size) {
    int count = r.between(2, 6);
    double scale = size / 64.0;
    for (int i = 0; i < count; i++) {
      double radius = r.uniform(0.7, 1.5) * scale;
      double x = r.uniform(0, size);
      double y = r.uniform(0, size);
      g.fill(new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius));
    }
  }

  // A lumpy polygon: radii vary per vertex, so it reads as none of the regular outlines.
  private static void blob(Graphics2D g, SceneRandom r, int size) {
    double radius = r.uniform(2, 4) * size / 64.0;
    double cx = r.uniform(0, size);
    double cy = r.uniform(0, size);
    int vertices = r.between(6, 9);
    Path2D.Double p = new Path2D.Double();
    for (int k = 0; k < vertices; k++) {
      double a = 2 * Math.PI * k / vertices;
      double rr = radius * r.uniform(0.55, 1.0);
      double x = cx + rr * Math.cos(a);
      double y = cy + rr * Math.sin(a);
      if (k == 0) {
        p.moveTo(x, y);
      } else {
        p.lineTo(x, y);
      }
    }
    p.closePath();
    g.fill(p);
  }
}
