package org.vitaudit.scenes;

import java.util.StringJoiner;

/**
 * The rows of {@code labels.csv}: the file, then class name and inclusive box per object, e.g.
 * {@code scene_000007.png,star,12,30,35,52}. Two-object files repeat the four box columns with a
 * {@code _2} suffix. Class names and file names never contain commas, so no quoting is needed.
 */
public final class LabelsCsv {
  private LabelsCsv() {}

  public static String header(int objectCount) {
    StringJoiner j = new StringJoiner(",");
    j.add("file");
    for (int k = 1; k <= objectCount; k++) {
      String suffix = k == 1 ? "" : "_" + k;
      j.add(k == 1 ? "label" : "label" + k);
      j.add("x0" + suffix).add("y0" + suffix).add("x1" + suffix).add("y1" + suffix);
    }
    return j.toString();
  }

  public static String row(String file, Scene scene) {
    StringJoiner j = new StringJoiner(",");
    j.add(file);
    for (PlacedObject o : scene.objects()) {
      BoundingBox b = o.box();
      j.add(o.className())
          .add(Integer.toString(b.x0()))
          .add(Integer.toString(b.y0()))
          .add(Integer.toString(b.x1()))
          .add(Integer.toString(b.y1()));
    }
    return j.toString();
  }
}
