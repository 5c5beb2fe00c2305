package org.vitaudit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;

/**
 * The inputs a latency bench measures: a folder's images, or generated scenes so it needs no files.
 */
public final class BenchInputs {
  /** The scenes' own seed, apart from training and test seeds. */
  static final long SEED = 7_000;

  /**
   * One image: its bytes as they would arrive (a scene as PNG) and the model's input tensor made
   * from them.
   */
  public record Input(byte[] encoded, float[] tensor) {}

  private BenchInputs() {}

  /** {@code count} generated scenes, preprocessed. */
  public static List<Input> scenes(int count, Preprocessor pre) {
    if (count < 1) {
      throw new IllegalArgumentException("--scenes must be at least 1");
    }
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              Scene scene = generator.generate(SEED, i);
              return new Input(DemoEvents.png(scene), pre.tensor(scene.image()));
            })
        .toList();
  }

  /** Every readable image in {@code folder}, in name order; {@code skipped} hears of the others. */
  public static List<Input> folder(Path folder, Preprocessor pre, Consumer<String> skipped)
      throws IOException {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    List<Input> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.sorted().toList()) {
        byte[] bytes = Files.readAllBytes(p);
        try {
          out.add(new Input(bytes, pre.tensor(decoder.decode(bytes))));
        } catch (ImageRejectedException e) {
          skipped.accept("skipping " + p + ": " + e.getMessage());
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no readable image in " + folder);
    }
    return out;
  }

  /** The tensors alone. */
  public static List<float[]> tensors(List<Input> inputs) {
    return inputs.stream().map(Input::tensor).toList();
  }
}
