package org.vitaudit.evaluation;

/** An object's box in pixels, corners inclusive (the extent of its pixels). */
public record Box(double x0, double y0, double x1, double y1) {
  public Box {
    if (x1 < x0 || y1 < y0) {
      throw new IllegalArgumentException(
          "box corners out of order: (" + x0 + "," + y0 + ")-(" + x1 + "," + y1 + ")");
    }
  }
}
