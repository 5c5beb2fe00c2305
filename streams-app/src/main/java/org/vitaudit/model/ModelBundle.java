package org.vitaudit.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An ONNX classifier as the engine receives it: its bytes, their SHA-256, the sidecar found beside
 * it ({@code <stem>.json}, else {@code model.json} in the same folder), and the files that hold its
 * weights where the exporter wrote them outside the {@code .onnx} (then the SHA-256 covers those
 * files too, in the order the model names them, so the hash identifies the weights).
 */
public record ModelBundle(
    String name,
    byte[] onnx,
    String sha256,
    ModelSidecar sidecar,
    String source,
    ExternalData externalData) {

  static final String DEMO_RESOURCE = "/demo-model/";

  public static ModelBundle fromFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ModelNotSupportedException("model file not found: " + path);
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      String stem = path.getFileName().toString().replaceFirst("\\.onnx$", "");
      ModelSidecar sidecar =
          ModelSidecar.beside(path).map(ModelSidecar.Found::sidecar).orElse(ModelSidecar.empty());
      String name =
          sidecar
              .name()
              .orElse(
                  stem.equals("model") && path.getParent() != null
                      ? path.getParent().getFileName().toString()
                      : stem);
      Path folder = path.toAbsolutePath().getParent();
      ExternalData external = ExternalData.of(bytes, folder, path.toString());
      return new ModelBundle(
          name, bytes, sha256(bytes, external), sidecar, path.toString(), external);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + path + ": " + e.getMessage(), e);
    }
  }

  /** The demo ViT bundled in the jar, trained by this project on generated scenes. */
  public static ModelBundle demo() {
    byte[] onnx =
        demoResource("model.onnx")
            .orElseThrow(
                () ->
                    new ModelNotSupportedException(
                        "the bundled demo model is missing from the jar ("
                            + DEMO_RESOURCE
                            + "model.onnx)"));
    ModelSidecar sidecar =
        ModelSidecar.ofDemo().map(ModelSidecar.Found::sidecar).orElse(ModelSidecar.empty());
    return new ModelBundle(
        sidecar.name().orElse("demo-scenes-vit"),
        onnx,
        sha256(onnx),
        sidecar,
        "bundled demo model",
        ExternalData.none());
  }

  /** A model built in memory (e.g. {@code bench --synthetic}). */
  public static ModelBundle inMemory(String name, byte[] onnx, ModelSidecar sidecar) {
    return new ModelBundle(
        name, onnx, sha256(onnx), sidecar, name + " (built in memory)", ExternalData.none());
  }

  /**
   * A model built in memory whose large weights were written to files in {@code external}'s folder.
   */
  public static ModelBundle inMemory(
      String name, byte[] onnx, ModelSidecar sidecar, ExternalData external) {
    return new ModelBundle(
        name, onnx, sha256(onnx, external), sidecar, name + " (built in memory)", external);
  }

  /** The given model file, or the bundled demo model when none is given. */
  public static ModelBundle fileOrDemo(Optional<Path> path) {
    return path.map(ModelBundle::fromFile).orElseGet(ModelBundle::demo);
  }

  static Optional<byte[]> demoResource(String file) {
    try (InputStream in = ModelBundle.class.getResourceAsStream(DEMO_RESOURCE + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    return sha256(bytes, ExternalData.none());
  }

  private static String sha256(byte[] bytes, ExternalData external) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes);
      external.digest(digest);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
