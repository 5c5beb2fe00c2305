package org.vitaudit.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.PreprocessingOverrides;

/**
 * The real MNIST ViT and digits in {@code ../shared}: present on CI and developer machines, absent
 * from a user's clone, where the tests that need them skip.
 */
public final class SharedData {
  public static final Path ROOT = Path.of("..", "shared").toAbsolutePath().normalize();
  public static final Path MNIST_MODEL = ROOT.resolve("models/mnist-vit/model.onnx");
  public static final Path DIGITS = ROOT.resolve("data/mnist-digits");

  /** The MNIST ViT's preprocessing, exactly as the README shows it. */
  public static final PreprocessingOverrides MNIST_PREPROCESSING =
      new PreprocessingOverrides(
          Optional.of("28x28"),
          Optional.of("none"),
          Optional.of("none"),
          Optional.of("gray"),
          Optional.of("0.1307"),
          Optional.of("0.3081"));

  private SharedData() {}

  public static void assumeMnist() {
    assumeTrue(
        Files.isRegularFile(MNIST_MODEL) && Files.isDirectory(DIGITS),
        "../shared (MNIST ViT and digits) is absent");
  }

  public static ModelSetup mnistSetup() {
    assumeMnist();
    return ModelSetup.resolve(
        ModelBundle.fromFile(MNIST_MODEL), MNIST_PREPROCESSING, Optional.empty());
  }

  /** A digit: its file, label and box (inclusive pixel extent). */
  public record Digit(Path file, int label, int x0, int y0, int x1, int y1) {}

  public static List<Digit> digits() {
    assumeMnist();
    try {
      return Files.readAllLines(DIGITS.resolve("labels.csv")).stream()
          .skip(1)
          .filter(l -> !l.isBlank())
          .map(l -> l.split(","))
          .map(
              f ->
                  new Digit(
                      DIGITS.resolve(f[0]),
                      Integer.parseInt(f[1]),
                      Integer.parseInt(f[2]),
                      Integer.parseInt(f[3]),
                      Integer.parseInt(f[4]),
                      Integer.parseInt(f[5])))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
