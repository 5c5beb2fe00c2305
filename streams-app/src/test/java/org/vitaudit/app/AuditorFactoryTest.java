package org.vitaudit.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.testing.Fixture;

/** The stream's engine takes the method settings from configuration. */
class AuditorFactoryTest {
  @Test
  void theCutBlockAndResidualComeFromTheConfiguration() {
    String model = Fixture.named("timm_vit").onnx().toString();
    try (AuditorFactory.Opened defaults = AuditorFactory.open(new AppConfig(Map.of(AppConfig.MODEL_PATH_CONFIG, model)));
        AuditorFactory.Opened authors = AuditorFactory.open(new AppConfig(Map.of(AppConfig.MODEL_PATH_CONFIG, model,
            AppConfig.SALIENCY_BLOCK_CONFIG, "2", AppConfig.SALIENCY_RESIDUAL_CONFIG, "block-input")))) {
      assertThat(defaults.engine().facts().cutNode()).isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");
      assertThat(defaults.engine().facts().residual()).isEqualTo(ResidualSource.MASKED_FEATURES);
      assertThat(authors.engine().facts().cutNode()).isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
      assertThat(authors.engine().facts().residual()).isEqualTo(ResidualSource.BLOCK_INPUT);
    }
  }
}
