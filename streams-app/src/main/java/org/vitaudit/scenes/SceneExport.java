package org.vitaudit.scenes;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes scenes {@code 0..count-1} of one seed to a directory: the images and {@code labels.csv}. */
public final class SceneExport {
  public static final String LABELS_FILE = "labels.csv";

  private SceneExport() {}

  public static void write(
      SceneGenerator generator, long seed, int count, Path dir, SceneFormat format)
      throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter labels = Files.newBufferedWriter(dir.resolve(LABELS_FILE), StandardCharsets.UTF_8);
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
