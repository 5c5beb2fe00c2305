package org.vitaudit.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vitaudit.image.Preprocessing;

/**
 * A model with everything needed to feed it: its preprocessing (sidecar, then user overrides,
 * ImageNet's where neither says) and its labels (a labels file, else the sidecar's).
 */
public record ModelSetup(ModelBundle bundle, Preprocessing preprocessing, List<String> labels) {

  public static ModelSetup resolve(
      ModelBundle bundle, PreprocessingOverrides overrides, Optional<Path> labelsFile) {
    Preprocessing base = bundle.sidecar().preprocessing().orElse(Preprocessing.IMAGENET);
    Preprocessing p = overrides.applyTo(base);
    List<String> labels = labelsFile.map(ModelSetup::readLabels).orElse(bundle.sidecar().labels());
    return new ModelSetup(bundle, p, labels);
  }

  /** Channels, height, width of one input tensor. */
  public int[] inputShape() {
    return new int[] {
      preprocessing.channels().count(), preprocessing.height(), preprocessing.width()
    };
  }

  /** One label per line; blank lines are skipped. */
  public static List<String> readLabels(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read labels file " + file + ": " + e.getMessage(), e);
    }
  }
}
