package org.vitaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.testing.Fixture;

/** A model's model.json may choose its own method settings: under every source but the defaults. */
class ModelSettingsTest {
  @TempDir Path dir;

  /**
   * A copy of a fixture with a model.json that adds {@code settings} to the fixture's own sidecar.
   */
  private Path modelWith(Map<String, Object> settings) throws Exception {
    Fixture f = Fixture.named("timm_vit");
    Path model = dir.resolve("model.onnx");
    Files.copy(f.onnx(), model);
    ObjectMapper json = new ObjectMapper();
    ObjectNode sidecar =
        (ObjectNode) json.readTree(f.onnx().resolveSibling("timm_vit.json").toFile());
    settings.forEach((k, v) -> sidecar.set(k, json.valueToTree(v)));
    json.writeValue(dir.resolve("model.json").toFile(), sidecar);
    return model;
  }

  private static ConfigLoader forModel(Path model) {
    return new ConfigLoader().flag(AppConfig.MODEL_PATH_CONFIG, model.toString(), "--model");
  }

  @Test
  void theModelsOwnSettingsWinOverTheDefaultsAndReachTheEngine() throws Exception {
    Path model = modelWith(Map.of("saliency.block", 2, "saliency.residual", "block-input"));
    AppConfig c = forModel(model).load();
    assertThat(c.getInt(AppConfig.SALIENCY_BLOCK_CONFIG)).isEqualTo(2);
    ModelSetup setup = EngineSettings.setup(c);
    EngineOptions options = EngineSettings.engineOptions(c, setup);
    assertThat(options.cut().blockFromEnd()).isEqualTo(2);
    assertThat(options.cut().residual()).isEqualTo(ResidualSource.BLOCK_INPUT);
  }

  @Test
  void aFileTheEnvironmentAndFlagsEachWinOverTheModelJson() throws Exception {
    Path model =
        modelWith(
            Map.of(
                "saliency.block",
                2,
                "saliency.residual",
                "block-input",
                "saliency.variant",
                "dirac"));
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "saliency.block=1\nsaliency.residual=masked-input\n");
    AppConfig c =
        forModel(model)
            .file(file)
            .environment(Map.of("VITAUDIT_SALIENCY_RESIDUAL", "masked-features"))
            .load();
    assertThat(c.getInt(AppConfig.SALIENCY_BLOCK_CONFIG)).isEqualTo(1); // file over model.json
    assertThat(c.getString(AppConfig.SALIENCY_RESIDUAL_CONFIG))
        .isEqualTo("masked-features"); // environment
    assertThat(c.getString(AppConfig.SALIENCY_VARIANT_CONFIG))
        .isEqualTo("dirac"); // model.json, no other source

    AppConfig flagged =
        forModel(model)
            .environment(Map.of("VITAUDIT_SALIENCY_VARIANT", "gaussian"))
            .flag(AppConfig.SALIENCY_VARIANT_CONFIG, "dirac", "--variant")
            .load();
    assertThat(flagged.getString(AppConfig.SALIENCY_VARIANT_CONFIG)).isEqualTo("dirac");
  }

  @Test
  void sourcesAddedInAnyOrderKeepTheirRank() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "saliency.top.k=3\n");
    AppConfig c =
        new ConfigLoader()
            .assignments(List.of("saliency.top.k=5"))
            .file(file)
            .environment(Map.of("VITAUDIT_SALIENCY_TOP_K", "4"))
            .load();
    assertThat(c.getInt(AppConfig.SALIENCY_TOP_K_CONFIG)).isEqualTo(5);
  }

  @Test
  void aBadValueInTheModelJsonIsRefusedNamingTheFile() throws Exception {
    Path model = modelWith(Map.of("saliency.residual", "sideways"));
    assertThatThrownBy(() -> forModel(model).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value 'sideways' for saliency.residual")
        .hasMessageEndingWith("(from " + dir.resolve("model.json") + ")");
  }

  @Test
  void anUnknownMethodKeyInTheModelJsonIsATypoNotADefault() throws Exception {
    Path model = modelWith(Map.of("saliency.blokc", 2));
    assertThatThrownBy(() -> forModel(model).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown configuration key 'saliency.blokc'");
  }

  @Test
  void keysOutsideTheMethodAreNotTheModelsToSet() throws Exception {
    Path model = modelWith(Map.of("device", "cuda", "input.topic", "elsewhere"));
    AppConfig c = forModel(model).load();
    assertThat(c.getString(AppConfig.DEVICE_CONFIG)).isEqualTo("cpu");
    assertThat(c.getString(AppConfig.INPUT_TOPIC_CONFIG)).isEqualTo("images");
  }
}
