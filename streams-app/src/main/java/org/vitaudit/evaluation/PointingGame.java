package org.vitaudit.evaluation;

import org.vitaudit.engine.ClassSaliency;

/**
 * The pointing game: a hit when the map's arg-max cell, taken as a rectangle of image pixels,
 * intersects the object's box. Its chance level is the share of cells that intersect the box.
 */
public final class PointingGame {
  private PointingGame() {}

  public static boolean hit(ClassSaliency map, Box box, int imageHeight, int imageWidth) {
    return hit(map.values(), map.height(), map.width(), box, imageHeight, imageWidth);
  }

  /** As above for a plain grid map, row-major {@code gridHeight x gridWidth}. */
  public static boolean hit(
      float[] map, int gridHeight, int gridWidth, Box box, int imageHeight, int imageWidth) {
    int best = ClassSaliency.peakIndex(map);
    return cellIntersects(
        best / gridWidth, best % gridWidth, gridHeight, gridWidth, box, imageHeight, imageWidth);
  }

  /** The share of grid cells that intersect the box: what a random cell scores on average. */
  public static double baseline(
      int gridHeight, int gridWidth, Box box, int imageHeight, int imageWidth) {
    int hits = 0;
    for (int i = 0; i < gridHeight; i++) {
      for (int j = 0; j < gridWidth; j++) {
        if (cellIntersects(i, j, gridHeight, gridWidth, box, imageHeight, imageWidth)) {
          hits++;
        }
      }
    }
    return (double) hits / (gridHeight * gridWidth);
  }

  static boolean cellIntersects(
      int row, int col, int gridHeight, int gridWidth, Box box, int imageHeight, int imageWidth) {
    double cellTop = (double) row * imageHeight / gridHeight;
    double cellBottom = (double) (row + 1) * imageHeight / gridHeight;
    double cellLeft = (double) col * imageWidth / gridWidth;
    double cellRight = (double) (col + 1) * imageWidth / gridWidth;
    // Pixel x covers [x, x+1): the inclusive box spans [x0, x1 + 1).
    return cellLeft < box.x1() + 1
        && cellRight > box.x0()
        && cellTop < box.y1() + 1
        && cellBottom > box.y0();
  }
}
