package org.vitaudit.scenes;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes scenes {@code 0..count-1} of one seed to a directory: the images, {@code labels.csv}, and
 * {@code classes.txt} (the class names in label-index order, one a line), so a training script
 * takes the label order from the generator instead of repeating it.
 */
public final class SceneExport {
  public static final String LABELS_FILE = "labels.csv";
  public static final String CLASSES_FILE = "classes.txt";

  private SceneExport() {}

  public static void write(
      SceneGenerator generator, long seed, int count, Path dir, SceneFormat format)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder classes = new StringBuilder();
    for (ShapeClass c : ShapeClass.values()) {
      classes.append(c.label()).append('\n');
    }
    Files.writeString(dir.resolve(CLASSES_FILE), classes, StandardCharsets.UTF_8);
    try (BufferedWriter labels =
            Files.newBufferedWriter(dir.resolve(LABELS_FILE), StandardCharsets.UTF_8);
        SceneFormat.Sink images = format.open(dir)) {
      labels.write(LabelsCsv.header(generator.spec().objectCount()));
      labels.write('\n');
      for (int i = 0; i < count; i++) {
        Scene scene = generator.generate(seed, i);
        labels.write(LabelsCsv.row(images.write(i, scene.image()), scene));
        labels.write('\n');
      }
    }
  }
}
