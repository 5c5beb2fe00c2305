package org.vitaudit.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --labels FILE}: the model's class names, one per line (overrides model.json's). */
final class ClassNamesOption {
  @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (overrides model.json).")
  Path file;

  Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}
