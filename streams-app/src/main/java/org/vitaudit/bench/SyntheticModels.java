package org.vitaudit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSidecar;
import org.vitaudit.model.synthetic.SyntheticVit;
import org.vitaudit.model.synthetic.VitShape;

/** The ViTs with random weights that {@code bench --synthetic} measures. */
public final class SyntheticModels {
  /**
   * Above this many bytes of weights, they go to an external data file, as exporters write them.
   */
  private static final long EXTERNAL_DATA_ABOVE_BYTES = 1L << 30;

  private SyntheticModels() {}

  /**
   * The shape named {@code name} with seed-42 weights. A model over 1 GiB of weights keeps them in
   * an external data file in a temporary folder (one protobuf cannot exceed 2 GB), as a dynamo
   * export of such a model does; the folder goes at exit.
   */
  public static ModelBundle build(String name, Consumer<String> log) throws IOException {
    VitShape shape = VitShape.named(name);
    ModelSidecar sidecar = ModelSidecar.empty();
    String model = shape.name() + "-synthetic";
    if (4 * shape.parameters() <= EXTERNAL_DATA_ABOVE_BYTES) {
      return ModelBundle.inMemory(model, SyntheticVit.build(shape, 42).toByteArray(), sidecar);
    }
    Path dir = Files.createTempDirectory("vit-audit-" + shape.name());
    Path data = dir.resolve("model.onnx.data");
    dir.toFile().deleteOnExit();
    data.toFile().deleteOnExit();
    byte[] onnx = SyntheticVit.build(shape, 42, data).toByteArray();
    log.accept(
        String.format(
            Locale.ROOT,
            "bench: %s has %,d parameters; weights in %s (%,d MiB)",
            shape.name(),
            shape.parameters(),
            data,
            Files.size(data) >> 20));
    return ModelBundle.inMemory(
        model, onnx, sidecar, new ExternalData(Optional.of(dir), List.of("model.onnx.data")));
  }
}
