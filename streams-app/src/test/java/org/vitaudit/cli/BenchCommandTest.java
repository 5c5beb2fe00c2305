package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

class BenchCommandTest {
  @Test
  void jsonCarriesMediansAndTheirRatios() throws Exception {
    CliRun run =
        CliRun.of(
            "bench",
            "--model",
            Fixture.named("timm_vit").onnx().toString(),
            "--scenes",
            "3",
            "--warmup",
            "1",
            "--rounds",
            "1",
            "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("images").asInt()).isEqualTo(3);
    double predict = o.get("predict_ms").asDouble();
    double generic = o.get("generic_ms").asDouble();
    double fast = o.get("fast_ms").asDouble();
    assertThat(predict).isPositive();
    assertThat(o.get("ratio_generic").asDouble())
        .isCloseTo(generic / predict, within(0.01 * generic / predict + 0.002));
    assertThat(o.get("ratio_fast").asDouble())
        .isCloseTo(fast / predict, within(0.01 * fast / predict + 0.002));
    assertThat(o.get("peak_rss_mib").asDouble()).isPositive();
    // Independent of how the command computes its ratios: the model and provider it ran, a saliency
    // map costs more than the prediction it explains, a 95th percentile is no lower than the
    // median,
    // and a JVM holding ONNX Runtime sessions is far above 50 MiB resident.
    assertThat(o.get("model").asText()).isEqualTo("timm_vit");
    assertThat(o.get("provider").asText()).isEqualTo("CPU");
    assertThat(generic).isGreaterThan(predict);
    assertThat(o.get("ratio_generic").asDouble()).isGreaterThan(1.0);
    assertThat(o.get("p95_ms").get("predict").asDouble()).isGreaterThanOrEqualTo(predict);
    assertThat(o.get("p95_ms").get("generic").asDouble()).isGreaterThanOrEqualTo(generic);
    assertThat(o.get("p95_ms").get("fast").asDouble()).isGreaterThanOrEqualTo(fast);
    assertThat(o.get("peak_rss_mib").asDouble()).isGreaterThan(50);
    // ONNX Runtime alone on prepared tensors beside (a), and (a)'s way from bytes to logits.
    double bare = o.get("bare_ms").asDouble();
    assertThat(bare).isPositive();
    assertThat(o.get("ratio_predict_bare").asDouble())
        .isCloseTo(predict / bare, within(0.01 * predict / bare + 0.002));
    assertThat(o.get("p95_ms").get("bare").asDouble()).isGreaterThanOrEqualTo(bare);
    JsonNode stages = o.get("breakdown_ms");
    List<String> names = new ArrayList<>();
    stages.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("decode", "preprocess", "tensor", "run", "read", "total");
    double sum = 0;
    for (String stage : List.of("decode", "preprocess", "tensor", "run", "read")) {
      assertThat(stages.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0);
      sum += stages.get(stage).asDouble();
    }
    assertThat(stages.get("total").asDouble()).isCloseTo(sum, within(0.01));
    // Decoding a PNG and running the model take time; the run is most of a prediction.
    assertThat(stages.get("decode").asDouble()).isPositive();
    assertThat(stages.get("run").asDouble()).isGreaterThan(stages.get("tensor").asDouble());
  }

  @Test
  void aModelWithoutFastHReportsNull() throws Exception {
    // A cut before the last block has no fast H.
    CliRun run =
        CliRun.of(
            "bench",
            "--model",
            Fixture.named("timm_vit").onnx().toString(),
            "--block",
            "2",
            "--scenes",
            "2",
            "--warmup",
            "0",
            "--rounds",
            "1",
            "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("fast_ms").isNull()).isTrue();
    assertThat(o.get("ratio_fast").isNull()).isTrue();
  }

  @Test
  void eachResidualReadingIsMeasuredSideBySideWithTheHThatServesIt() throws Exception {
    CliRun run =
        CliRun.of(
            "bench",
            "--model",
            Fixture.named("meanpool_vit").onnx().toString(),
            "--each-residual",
            "--scenes",
            "2",
            "--warmup",
            "1",
            "--rounds",
            "1",
            "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("images").asInt()).isEqualTo(2);
    double predict = o.get("predict_ms").asDouble();
    assertThat(predict).isPositive();
    List<String> served = new ArrayList<>();
    for (JsonNode r : o.get("readings")) {
      served.add(r.get("residual").asText() + " " + r.get("h").asText());
      double ms = r.get("ms").asDouble();
      assertThat(r.get("ratio").asDouble()).isCloseTo(ms / predict, within(0.01 * ms / predict));
      assertThat(r.get("p95_ms").asDouble()).isGreaterThanOrEqualTo(ms);
    }
    // A mean-pooled head: distinct rows serve the masked readings; the unmasked block input gives
    // each zeroed token its own row, so the generic H serves it.
    assertThat(served)
        .containsExactly("masked-features fast", "masked-input fast", "block-input generic");
  }
}
