package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.PlainOrtSession;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.SessionSettings;
import org.vitaudit.testing.Fixture;

/**
 * The plain model gives the engine's own logits, a closed one says so, and the bare ONNX Runtime
 * session bench sets beside it runs the same model with the same options.
 */
class ClassifierTest {
  @Test
  void givesTheModelsLogitsAndFailsClearlyAfterClose() {
    Fixture f = Fixture.named("timm_vit");
    Classifier plain = new Classifier(f.bundle(), f.engineOptions());
    try (SaliencyEngine engine = SaliencyEngine.open(f.bundle(), f.engineOptions())) {
      float[] logits = plain.logits(f.expectedInput());
      assertThat(logits).hasSize(engine.facts().classes());
      double[] p = engine.probabilities(f.expectedInput());
      int top = 0;
      for (int c = 1; c < logits.length; c++) {
        top = logits[c] > logits[top] ? c : top;
      }
      assertThat(p[top]).isEqualTo(Arrays.stream(p).max().orElseThrow());
    }
    plain.close();
    plain.close();
    assertThatThrownBy(() -> plain.logits(f.expectedInput()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the model is closed");
  }

  @Test
  void theBareSessionRunsTheSameModelWithTheSameOptions() {
    Fixture f = Fixture.named("timm_vit");
    EngineOptions options = f.engineOptions().withIntraOp(1, true);
    try (Classifier plain = new Classifier(f.bundle(), options);
        PlainOrtSession bare = PlainOrtSession.open(f.bundle(), options);
        OnnxTensor input = bare.prepare(f.expectedInput())) {
      // The options asked for, not the defaults: both sessions got them.
      assertThat(bare.settings()).isEqualTo(new SessionSettings("CPU", 1, true, "ALL_OPT"));
      assertThat(plain.settings()).isEqualTo(bare.settings());
      // The same model: both give PyTorch's logits for the fixture's input.
      JsonNode want = f.expected().get("logits");
      float[] logits = plain.logits(f.expectedInput());
      float[] bareLogits = bare.firstOutput(input);
      assertThat(logits).hasSize(want.size());
      assertThat(bareLogits).hasSize(want.size());
      for (int c = 0; c < want.size(); c++) {
        assertThat(logits[c]).isCloseTo(want.get(c).floatValue(), within(1e-4f));
        assertThat(bareLogits[c]).isCloseTo(want.get(c).floatValue(), within(1e-4f));
      }
      bare.run(input); // a run that reads nothing back, twice on one tensor
      bare.run(input);
      assertThat(bare.firstOutput(input)).containsExactly(bareLogits);
    }
  }
}
