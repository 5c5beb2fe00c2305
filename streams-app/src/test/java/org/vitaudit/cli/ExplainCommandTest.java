package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

class ExplainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path image(String name, int w, int h) throws Exception {
    Random r = new Random(name.hashCode());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    Path p = tmp.resolve(name);
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  @Test
  void printsOneJsonObjectPerImageInTheDocumentedShape() throws Exception {
    Fixture f = Fixture.named("nonsquare_vit");
    Path a = image("a.png", 64, 48);
    Path b = image("b.png", 640, 480);
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            "--top-k",
            "2",
            "--class",
            "class7",
            a.toString(),
            b.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    var lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode o = JSON.readTree(lines.get(0));
    assertThat(o.get("image").asText()).isEqualTo(a.toString());
    String sha =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f.onnx())));
    assertThat(o.get("model").get("sha256").asText()).isEqualTo(sha);
    assertThat(o.get("model").get("grid")).hasSize(2);
    assertThat(o.get("model").get("grid").get(0).asInt()).isEqualTo(6);
    assertThat(o.get("model").get("grid").get(1).asInt()).isEqualTo(8);
    assertThat(o.get("model").get("cut").asText())
        .isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");
    assertThat(o.get("model").get("residual").asText()).isEqualTo("masked-features");
    JsonNode preds = o.get("predictions");
    assertThat(preds).hasSize(2);
    assertThat(preds.get(0).get("probability").asDouble())
        .isGreaterThanOrEqualTo(preds.get(1).get("probability").asDouble());
    assertThat(preds.get(0).get("label").asText())
        .isEqualTo("class" + preds.get(0).get("class").asInt());
    JsonNode maps = o.get("saliency");
    assertThat(maps.size()).isBetween(2, 3);
    assertThat(maps).anySatisfy(m -> assertThat(m.get("class").asInt()).isEqualTo(7));
    for (JsonNode m : maps) {
      assertThat(m.get("height").asInt()).isEqualTo(6);
      assertThat(m.get("width").asInt()).isEqualTo(8);
      assertThat(m.get("values")).hasSize(48);
      m.get("values").forEach(v -> assertThat(v.asDouble()).isBetween(0.0, 1.0));
    }
    assertThat(o.get("timings_ms").get("g").asDouble()).isPositive();
    assertThat(o.get("timings_ms").get("h").asDouble()).isPositive();
  }

  @Test
  void writesAnOverlayPerImageAndClass() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path a = image("cat.png", 32, 32);
    Path out = tmp.resolve("overlays");
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            "--top-k",
            "2",
            "--out",
            out.toString(),
            a.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var files = Files.list(out)) {
      var pngs = files.toList();
      assertThat(pngs).hasSize(2).allMatch(p -> p.getFileName().toString().startsWith("cat_class"));
      BufferedImage overlay = ImageIO.read(pngs.get(0).toFile());
      assertThat(overlay.getWidth()).isGreaterThanOrEqualTo(256);
    }
  }

  @Test
  void aBadImageGivesOneErrorLineAndANonZeroExitButTheOthersAreStillExplained() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path good = image("good.png", 32, 32);
    Path bad = tmp.resolve("bad.jpg");
    Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3});
    Path missing = tmp.resolve("missing.png");
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            bad.toString(),
            good.toString(),
            missing.toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out().lines()).hasSize(1);
    assertThat(run.errorLines()).hasSize(2);
    assertThat(run.errorLines().get(0)).startsWith("error: " + bad);
    assertThat(run.errorLines().get(1)).startsWith("error: " + missing).contains("no such file");
  }

  @Test
  void aRefusedModelGivesOneLineAndItsOwnExitCode() throws Exception {
    Path a = image("a.png", 32, 32);
    for (String stem : new String[] {"postnorm_vit", "batchnorm_vit"}) {
      CliRun run =
          CliRun.of("explain", "--model", Fixture.named(stem).onnx().toString(), a.toString());
      assertThat(run.exitCode()).isEqualTo(Main.EXIT_MODEL_REFUSED);
      assertThat(run.errorLines())
          .singleElement()
          .satisfies(l -> assertThat(l).startsWith("error: ").contains("--cut-node"));
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void aCutNodeThatDoesNotExistIsRefusedClearly() throws Exception {
    Path a = image("a.png", 32, 32);
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            Fixture.named("timm_vit").onnx().toString(),
            "--cut-node",
            "nope",
            a.toString());
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_MODEL_REFUSED);
    assertThat(run.errorLines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("'nope' does not exist"));
  }

  @Test
  void aFlagAndItsConfigurationKeyAreTheSameSetting() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path a = image("a.png", 32, 32);
    Path props = tmp.resolve("explain.properties");
    Files.writeString(props, "saliency.variant=dirac\n");
    CliRun byFlag =
        CliRun.of("explain", "--model", f.onnx().toString(), "--variant", "dirac", a.toString());
    CliRun byKey =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            "--set",
            "saliency.variant=dirac",
            a.toString());
    CliRun byFile =
        CliRun.of(
            "explain", "--model", f.onnx().toString(), "--config", props.toString(), a.toString());
    CliRun byDefault = CliRun.of("explain", "--model", f.onnx().toString(), a.toString());
    for (CliRun run : new CliRun[] {byFlag, byKey, byFile, byDefault}) {
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    JsonNode dirac = JSON.readTree(byFlag.out()).get("saliency");
    assertThat(JSON.readTree(byKey.out()).get("saliency")).isEqualTo(dirac);
    assertThat(JSON.readTree(byFile.out()).get("saliency")).isEqualTo(dirac);
    assertThat(JSON.readTree(byDefault.out()).get("saliency")).isNotEqualTo(dirac);
  }

  @Test
  void theModelJsonsMethodSettingsApplyWithoutFlags() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Files.copy(f.onnx(), dir.resolve("model.onnx"));
    ObjectNode sidecar =
        (ObjectNode) JSON.readTree(f.onnx().resolveSibling("timm_vit.json").toFile());
    sidecar.put("saliency.block", 2).put("saliency.residual", "block-input");
    JSON.writeValue(dir.resolve("model.json").toFile(), sidecar);
    Path a = image("a.png", 32, 32);
    CliRun fromJson =
        CliRun.of("explain", "--model", dir.resolve("model.onnx").toString(), a.toString());
    CliRun fromFlags =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            "--block",
            "2",
            "--residual",
            "block-input",
            a.toString());
    assertThat(fromJson.exitCode()).as(fromJson.err()).isZero();
    assertThat(fromFlags.exitCode()).as(fromFlags.err()).isZero();
    JsonNode json = JSON.readTree(fromJson.out());
    assertThat(json.get("model").get("residual").asText()).isEqualTo("block-input");
    assertThat(json.get("model").get("cut").asText())
        .isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
    assertThat(json.get("saliency")).isEqualTo(JSON.readTree(fromFlags.out()).get("saliency"));
  }

  @Test
  void badOptionValuesAreUsageErrors() throws Exception {
    Path a = image("a.png", 32, 32);
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            Fixture.named("timm_vit").onnx().toString(),
            "--variant",
            "zigzag",
            a.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    // The flag is the key saliency.variant given on the command line: the key's validator and
    // message.
    assertThat(run.errorLines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("saliency.variant")
                    .contains("gaussian, dirac")
                    .contains("'zigzag'")
                    .contains("(from --variant)"));
  }

  @Test
  void theBlockAndResidualChoicesAreTakenAndReported() throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path a = image("a.png", 32, 32);
    CliRun run =
        CliRun.of(
            "explain",
            "--model",
            f.onnx().toString(),
            "--block",
            "2",
            "--residual",
            "block-input",
            a.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode model = JSON.readTree(run.out().lines().findFirst().orElseThrow()).get("model");
    assertThat(model.get("cut").asText()).isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
    assertThat(model.get("residual").asText()).isEqualTo("block-input");
  }

  @Test
  void badBlockAndResidualChoicesGetOneLine() throws Exception {
    Path a = image("a.png", 32, 32);
    String model = Fixture.named("timm_vit").onnx().toString();
    CliRun residual =
        CliRun.of("explain", "--model", model, "--residual", "sideways", a.toString());
    assertThat(residual.exitCode()).isEqualTo(2);
    assertThat(residual.errorLines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("masked-features, masked-input, block-input"));
    CliRun tooDeep = CliRun.of("explain", "--model", model, "--block", "5", a.toString());
    assertThat(tooDeep.exitCode()).isEqualTo(Main.EXIT_MODEL_REFUSED);
    assertThat(tooDeep.errorLines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("2 pre-norm block(s)"));
    CliRun both =
        CliRun.of(
            "explain",
            "--model",
            model,
            "--block",
            "2",
            "--cut-node",
            "/blocks/blocks.1/norm1/LayerNormalization",
            a.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.errorLines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("not both"));
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"explain", "split"}) {
      CliRun run = CliRun.of(command, "--help");
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("Usage: streams-app " + command);
    }
  }
}
