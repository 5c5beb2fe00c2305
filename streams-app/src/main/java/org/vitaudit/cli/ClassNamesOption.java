package org.vitaudit.cli;

import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/** {@code --labels FILE}: the model's class names, one per line (model.labels.file). */
final class ClassNamesOption implements FlagSource {
  @Option(
      names = "--labels",
      paramLabel = "FILE",
      descriptionKey = AppConfig.MODEL_LABELS_FILE_CONFIG)
  String file;

  @Override
  public ConfigLoader addTo(ConfigLoader loader) {
    return loader.flag(AppConfig.MODEL_LABELS_FILE_CONFIG, file, "--labels");
  }
}
