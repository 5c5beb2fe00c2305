package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

class SplitCommandTest {
  @TempDir Path tmp;

  @Test
  void writesGHAndAModelJsonThatRunOnTheirOwn() throws Exception {
    Fixture f = Fixture.named("distilled_vit");
    CliRun run = CliRun.of("split", "--model", f.onnx().toString(), "--out", tmp.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("model.json").toFile());
    assertThat(json.get("tokens").asInt()).isEqualTo(18);
    assertThat(json.get("prefix_tokens").asInt()).isEqualTo(2);
    assertThat(json.get("dim").asInt()).isEqualTo(32);
    assertThat(json.get("classes").asInt()).isEqualTo(4);
    assertThat(json.get("cut_node").asText())
        .isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");
    assertThat(json.get("preprocessing").get("size").get(0).asInt()).isEqualTo(32);

    // G gives the model's logits and F; H turns F into one row of logits per masked copy.
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] x = f.expectedInput();
    try (OrtSession g = env.createSession(Files.readAllBytes(tmp.resolve("g.onnx")));
        OrtSession h = env.createSession(Files.readAllBytes(tmp.resolve("h.onnx")));
        OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 32, 32});
        OrtSession.Result gr = g.run(Map.of("input", in))) {
      float[] logits = ((float[][]) gr.get("logits").orElseThrow().getValue())[0];
      float[] want = Fixture.floats(f.expected().get("logits"));
      for (int c = 0; c < want.length; c++) {
        assertThat(Math.abs(logits[c] - want[c])).isLessThan(1e-4f);
      }
      OnnxTensor features =
          (OnnxTensor) gr.get(f.oracle().get("ln1_output").asText()).orElseThrow();
      try (OnnxTensor s =
              OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}), new long[] {1});
          OnnxTensor e =
              OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {16}), new long[] {1});
          OrtSession.Result hr =
              h.run(
                  Map.of(
                      "reciprocam_features",
                      features,
                      "reciprocam_chunk_start",
                      s,
                      "reciprocam_chunk_end",
                      e))) {
        assertThat(((float[][]) hr.get(0).getValue())).hasNumberOfRows(16);
      }
    }
  }

  @Test
  void withTheBlockInputResidualGGivesXAndHTakesIt() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    CliRun run =
        CliRun.of(
            "split",
            "--model",
            f.onnx().toString(),
            "--residual",
            "block-input",
            "--out",
            tmp.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("model.json").toFile());
    assertThat(json.get("residual").asText()).isEqualTo("block-input");
    // The method keys it was split with, which the configuration reads back from a model.json.
    assertThat(json.get("saliency.residual").asText()).isEqualTo("block-input");
    assertThat(json.get("saliency.block").asInt()).isEqualTo(1);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession g = env.createSession(Files.readAllBytes(tmp.resolve("g.onnx")));
        OrtSession h = env.createSession(Files.readAllBytes(tmp.resolve("h.onnx")))) {
      assertThat(g.getOutputNames()).hasSize(3);
      assertThat(h.getInputNames())
          .containsExactlyInAnyOrder(
              "reciprocam_features",
              "reciprocam_block_input",
              "reciprocam_chunk_start",
              "reciprocam_chunk_end");
    }
  }
}
