package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vitaudit.model.ExternalDataTest;
import org.vitaudit.model.proto.Onnx;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

/**
 * {@code check-model} against what each fixture was built as (tools/fixtures/README.md): its prefix
 * tokens, which rows its head pools, and the refusals.
 */
class CheckModelCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static JsonNode check(Path model) throws Exception {
    CliRun run = CliRun.of("check-model", "--model", model.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  @ParameterizedTest
  @CsvSource({
    "timm_vit, prefix, cls",
    "distilled_vit, prefix, cls distillation",
    "registers_vit, prefix, cls register register register register",
    "meanpool_vit, mean, ''",
    "torchvision_vit, prefix, cls"
  })
  void reportsTheHeadAndPrefixTokensEachFixtureWasBuiltWith(String stem, String head, String prefix)
      throws Exception {
    JsonNode json = check(Fixture.named(stem).onnx());
    assertThat(json.get("serves").asBoolean()).isTrue();
    assertThat(json.get("head").asText()).isEqualTo(head);
    List<String> kinds = new ArrayList<>();
    json.get("prefix_tokens").forEach(k -> kinds.add(k.asText()));
    assertThat(String.join(" ", kinds)).isEqualTo(prefix);
    assertThat(json.get("h_modes").get("generic").get("serves").asBoolean()).isTrue();
  }

  /**
   * Before the last block every row reaches the logits through the blocks after the cut, so the
   * probe cannot tell which rows the head reads: a CLS head would pass for prefix+mean.
   */
  @Test
  void theHeadIsNotMeasuredWhereTheCutIsBeforeTheLastBlock() throws Exception {
    Path model = Fixture.named("timm_vit").onnx();
    CliRun json = CliRun.of("check-model", "--model", model.toString(), "--block", "2", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode j = JSON.readTree(json.out());
    assertThat(j.get("cut_node").asText()).isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
    assertThat(j.get("head").isNull()).as(j.toString()).isTrue();
    assertThat(j.get("prefix_tokens")).isNull();

    CliRun text = CliRun.of("check-model", "--model", model.toString(), "--block", "2");
    assertThat(text.out()).contains("head       not measured: the cut is before the last block");
  }

  @Test
  void saysWhichHAutoRunsAndWhyTheOtherCannot() throws Exception {
    JsonNode timm = check(Fixture.named("timm_vit").onnx());
    assertThat(timm.get("auto").asText()).isEqualTo("fast");
    assertThat(timm.get("grid").toString()).isEqualTo("[4,4]");
    assertThat(timm.get("cut_node").asText())
        .isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");

    CliRun served =
        CliRun.of(
            "check-model",
            "--model",
            Fixture.named("timm_vit").onnx().toString(),
            "--residual",
            "block-input");
    assertThat(served.exitCode()).isZero();
    assertThat(served.out()).contains("H fast     yes").contains("auto runs  the fast H");

    CliRun run =
        CliRun.of(
            "check-model",
            "--model",
            Fixture.named("meanpool_vit").onnx().toString(),
            "--residual",
            "block-input");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "H fast     no: prefix rows: the head pools every token (no prefix token carries the"
                + " prediction); distinct rows: the unmasked block input in the residual gives"
                + " every zeroed token its own row")
        .contains("auto runs  the generic H")
        .contains("verdict    explain will run");
  }

  @Test
  void aRefusedModelExitsWithThreeAndTheReason() throws Exception {
    CliRun run =
        CliRun.of(
            "check-model", "--model", Fixture.named("postnorm_vit").onnx().toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(3);
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("serves").asBoolean()).isFalse();
    assertThat(json.get("reason").asText()).contains("none is a pre-norm");

    CliRun text =
        CliRun.of("check-model", "--model", Fixture.named("batchnorm_vit").onnx().toString());
    assertThat(text.exitCode()).isEqualTo(3);
    assertThat(text.errorLines()).anySatisfy(l -> assertThat(l).startsWith("refused: "));
  }

  @Test
  void aHalfPrecisionModelIsRefusedWithWhatToDo() throws Exception {
    Onnx.ModelProto m =
        Onnx.ModelProto.parseFrom(Files.readAllBytes(Fixture.named("timm_vit").onnx()));
    var b = m.toBuilder();
    b.getGraphBuilder()
        .getInputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .setElemType(Onnx.TensorProto.DataType.FLOAT16_VALUE);
    Path half = tmp.resolve("half.onnx");
    Files.write(half, b.build().toByteArray());
    CliRun run = CliRun.of("check-model", "--model", half.toString(), "--size", "32x32", "--json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(JSON.readTree(run.out()).get("reason").asText())
        .isEqualTo(
            "the model input 'input' is float16; only float32 models are served: export it in"
                + " float32 (call model.float() before torch.onnx.export)");
  }

  @Test
  void listsTheExternalDataFiles() throws Exception {
    Path model =
        ExternalDataTest.externalize(
            Fixture.named("timm_vit").onnx(), tmp, "model.onnx", "model.onnx.data");
    Files.copy(
        Fixture.named("timm_vit").onnx().resolveSibling("timm_vit.json"),
        tmp.resolve("model.json"));
    JsonNode json = check(model);
    assertThat(json.get("external_data").toString()).isEqualTo("[\"model.onnx.data\"]");
  }
}
