package org.vitaudit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.StringStringEntryProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

/**
 * Models whose weights live in a separate file, as torch's dynamo exporter writes them. The model
 * sits in a temporary folder, never the working directory, so a relative location only resolves
 * when the engine hands ONNX Runtime the model's own folder.
 */
public class ExternalDataTest {
  @TempDir Path dir;

  @Test
  void aModelWithItsWeightsInAnotherFileGivesTheSameMapsAsTheInlineOne() throws IOException {
    Fixture f = Fixture.named("timm_vit");
    Path model = externalize(f.onnx(), dir.resolve("exported"), "model.onnx", "model.onnx.data");
    Files.copy(f.onnx().resolveSibling("timm_vit.json"), model.resolveSibling("model.json"));
    ModelBundle bundle = ModelBundle.fromFile(model);
    assertThat(bundle.externalData().files()).containsExactly("model.onnx.data");
    assertThat(Path.of("").toAbsolutePath()).isNotEqualTo(model.getParent());

    JsonNode expected = f.expected();
    for (HMode mode : new HMode[] {HMode.GENERIC, HMode.FAST}) {
      EngineOptions options = f.engineOptions().withHMode(mode);
      try (SaliencyEngine engine = SaliencyEngine.open(bundle, options)) {
        Explanation e = engine.explain(f.expectedInput(), ExplainRequest.DEFAULT);
        float[] reference = Fixture.floats(expected.get("maps").get("gaussian"));
        float[] map = e.maps().get(0).values();
        for (int i = 0; i < reference.length; i++) {
          assertThat(map[i]).as("%s cell %d", mode, i).isCloseTo(reference[i], within(1e-4f));
        }
      }
    }
  }

  @Test
  void splitWritesGAndHThatFindTheWeightsBesideThem() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path model = externalize(f.onnx(), dir.resolve("in"), "model.onnx", "model.onnx.data");
    Files.copy(f.onnx().resolveSibling("timm_vit.json"), model.resolveSibling("model.json"));
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("split", "--model", model.toString(), "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("model.onnx.data");
    assertThat(Files.size(out.resolve("g.onnx"))).isLessThan(Files.size(f.onnx()) / 2);
    assertThat(out.resolve("model.onnx.data"))
        .hasSameBinaryContentAs(model.resolveSibling("model.onnx.data"));

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession g = env.createSession(out.resolve("g.onnx").toString());
        OnnxTensor in =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(f.expectedInput()), new long[] {1, 3, 32, 32});
        OrtSession.Result r = g.run(Map.of("input", in))) {
      float[] logits = ((float[][]) r.get("logits").orElseThrow().getValue())[0];
      float[] want = Fixture.floats(f.expected().get("logits"));
      for (int c = 0; c < want.length; c++) {
        assertThat(logits[c]).isCloseTo(want[c], within(1e-4f));
      }
    }
    try (OrtSession h = env.createSession(out.resolve("h.onnx").toString())) {
      assertThat(h.getInputNames()).contains("reciprocam_features");
    }
  }

  @Test
  void theHashCoversTheWeightFile() throws IOException {
    Fixture f = Fixture.named("timm_vit");
    Path model = externalize(f.onnx(), dir.resolve("a"), "model.onnx", "model.onnx.data");
    String before = ModelBundle.fromFile(model).sha256();
    byte[] data = Files.readAllBytes(model.resolveSibling("model.onnx.data"));
    data[data.length / 2] ^= 1;
    Files.write(model.resolveSibling("model.onnx.data"), data);
    assertThat(ModelBundle.fromFile(model).sha256()).isNotEqualTo(before);
  }

  @Test
  void aMissingWeightFileIsNamedWithWhereItShouldBe() throws IOException {
    Path model =
        externalize(Fixture.named("timm_vit").onnx(), dir.resolve("b"), "m.onnx", "m.onnx.data");
    Files.delete(model.resolveSibling("m.onnx.data"));
    assertThatThrownBy(() -> ModelBundle.fromFile(model))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("'m.onnx.data'")
        .hasMessageContaining("missing from " + model.getParent().toAbsolutePath())
        .hasMessageContaining("copy that file next to the model");
  }

  @Test
  void aLocationOutsideTheModelsFolderIsRefused() throws IOException {
    Path model =
        externalize(
            Fixture.named("timm_vit").onnx(), dir.resolve("c/inner"), "m.onnx", "../m.onnx.data");
    assertThatThrownBy(() -> ModelBundle.fromFile(model))
        .isInstanceOf(ModelNotSupportedException.class)
        .hasMessageContaining("outside the model's folder");
  }

  /**
   * Writes {@code source} to {@code folder/name} with every initializer over 64 bytes moved to
   * {@code folder/location}, laid out as the ONNX external data format describes.
   */
  public static Path externalize(Path source, Path folder, String name, String location)
      throws IOException {
    Files.createDirectories(folder);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(source));
    ModelProto.Builder b = m.toBuilder();
    Path data = folder.resolve(location).normalize();
    Files.createDirectories(data.getParent());
    long offset = 0;
    try (OutputStream out = Files.newOutputStream(data)) {
      for (int i = 0; i < m.getGraph().getInitializerCount(); i++) {
        TensorProto t = m.getGraph().getInitializer(i);
        if (!t.hasRawData() || t.getRawData().size() <= 64) {
          continue;
        }
        byte[] raw = t.getRawData().toByteArray();
        out.write(raw);
        b.getGraphBuilder()
            .setInitializer(
                i,
                t.toBuilder()
                    .clearRawData()
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", location))
                    .addExternalData(entry("offset", String.valueOf(offset)))
                    .addExternalData(entry("length", String.valueOf(raw.length))));
        offset += raw.length;
      }
    }
    Path model = folder.resolve(name);
    Files.write(model, b.build().toByteArray());
    return model;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
