package org.vitaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.PreprocessingOverrides;

/**
 * One of the generated ONNX test models in {@code src/test/resources/fixtures} (made by {@code
 * tools/fixtures/make_fixtures.py}), with its PyTorch reference and weight map.
 */
public record Fixture(String stem, Path onnx) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The models the engine must serve (each has an oracle and a PyTorch reference). */
  public static final List<String> SERVED =
      List.of(
          "timm_vit",
          "hf_vit",
          "torchvision_vit",
          "timm_vit_opset14",
          "distilled_vit",
          "registers_vit",
          "meanpool_vit",
          "nonsquare_vit",
          "inner_dim_vit",
          "relu_vit",
          "attn_bias_vit");

  public static Fixture named(String stem) {
    return new Fixture(stem, resource("/fixtures/" + stem + ".onnx"));
  }

  /**
   * One of the real-library models in {@code fixtures/library} (made by {@code
   * tools/fixtures/make_library_fixtures.py}), e.g. {@code timm_vit.dynamo}.
   */
  public static Fixture library(String stem) {
    return new Fixture(stem, resource("/fixtures/library/" + stem + ".onnx"));
  }

  /**
   * A model that ONNX Runtime fails on for some inputs, in {@code fixtures/faulty} (made by {@code
   * tools/fixtures/make_model_error_fixture.py}): {@code white_bucket_vit} fails on an all-white
   * image and runs every other one.
   */
  public static Fixture faulty(String stem) {
    return new Fixture(stem, resource("/fixtures/faulty/" + stem + ".onnx"));
  }

  /** The library fixtures' manifest: every model attempted, with what its library built. */
  public static JsonNode libraryManifest() {
    return read(resource("/fixtures/library/manifest.json"));
  }

  private static Path resource(String name) {
    try {
      var url = Fixture.class.getResource(name);
      if (url == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public ModelBundle bundle() {
    return ModelBundle.fromFile(onnx);
  }

  public ModelSetup setup() {
    return ModelSetup.resolve(bundle(), PreprocessingOverrides.NONE, Optional.empty());
  }

  public EngineOptions engineOptions() {
    ModelSetup s = setup();
    return DefaultOptions.engine(s.inputShape(), s.labels());
  }

  /** The PyTorch reference: input tensor, logits, maps. */
  public JsonNode expected() {
    return json(stem + ".expected.json");
  }

  /** Where the last block's weights live among the initializers. */
  public JsonNode oracle() {
    return json(stem + ".oracle.json");
  }

  public float[] expectedInput() {
    return floats(expected().get("input"));
  }

  private JsonNode json(String file) {
    return read(onnx.resolveSibling(file));
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @Override
  public String toString() {
    return stem;
  }
}
