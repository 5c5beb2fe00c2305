package org.vitaudit.scenes;

/**
 * An inclusive pixel rectangle: {@code x0..x1} and {@code y0..y1} are the first and last columns
 * and rows that hold drawn pixels of an object.
 */
public record BoundingBox(int x0, int y0, int x1, int y1) {

  public BoundingBox {
    if (x1 < x0 || y1 < y0) {
      throw new IllegalArgumentException(
          "empty box: x0=" + x0 + " y0=" + y0 + " x1=" + x1 + " y1=" + y1);
    }
  }

  public int width() {
    return x1 - x0 + 1;
  }

  public int height() {
    return y1 - y0 + 1;
  }

  public boolean contains(int x, int y) {
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
  }

  /** True when the boxes share a pixel, or leave fewer than {@code gap} pixels between them. */
  public boolean closerThan(BoundingBox other, int gap) {
    return x0 - gap <= other.x1
        && other.x0 - gap <= x1
        && y0 - gap <= other.y1
        && other.y0 - gap <= y1;
  }

  public boolean intersects(BoundingBox other) {
    return closerThan(other, 0);
  }
}
