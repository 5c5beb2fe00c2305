package org.vitaudit.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.testing.Fixture;

/** The stream's engine takes the method settings from configuration. */
class AuditorFactoryTest {
  @Test
  void theCutBlockAndResidualComeFromTheConfiguration() {
    String model = Fixture.named("timm_vit").onnx().toString();
    try (AuditorFactory.Opened defaults =
            AuditorFactory.open(new AppConfig(Map.of(AppConfig.MODEL_PATH_CONFIG, model)));
        AuditorFactory.Opened authors =
            AuditorFactory.open(
                new AppConfig(
                    Map.of(
                        AppConfig.MODEL_PATH_CONFIG,
                        model,
                        AppConfig.SALIENCY_BLOCK_CONFIG,
                        "2",
                        AppConfig.SALIENCY_RESIDUAL_CONFIG,
                        "block-input")))) {
      assertThat(defaults.engine().facts().cutNode())
          .isEqualTo("/blocks/blocks.1/norm1/LayerNormalization");
      assertThat(defaults.engine().facts().residual()).isEqualTo(ResidualSource.MASKED_FEATURES);
      assertThat(authors.engine().facts().cutNode())
          .isEqualTo("/blocks/blocks.0/norm1/LayerNormalization");
      assertThat(authors.engine().facts().residual()).isEqualTo(ResidualSource.BLOCK_INPUT);
    }
  }

  /**
   * The stream opens models as the CLI does: a dynamo export with its weights in model.onnx.data,
   * read from the test resources while the working directory is the module, serves PNG events with
   * the prediction and map its float64 library reference gives.
   */
  @Test
  void theStreamServesADynamoExportWithExternalData() throws Exception {
    Fixture fixture = Fixture.library("timm_vit.dynamo_external");
    Path model = fixture.onnx();
    var expected = fixture.expected();
    try (AuditorFactory.Opened opened =
        AuditorFactory.open(new AppConfig(Map.of(AppConfig.MODEL_PATH_CONFIG, model.toString())))) {
      BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      var pixels = expected.get("pixels_hwc_rgb");
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          int i = (y * 32 + x) * 3;
          image.setRGB(
              x,
              y,
              pixels.get(i).asInt() << 16
                  | pixels.get(i + 1).asInt() << 8
                  | pixels.get(i + 2).asInt());
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      var e = opened.auditor().explain(List.of(opened.auditor().prepare(png.toByteArray()))).get(0);
      assertThat(e.top().classIndex()).isEqualTo(expected.get("top1").asInt());
      var want = expected.get("maps").get("gaussian");
      float[] map = e.maps().get(0).values();
      for (int i = 0; i < map.length; i++) {
        assertThat((double) map[i]).isCloseTo(want.get(i).asDouble(), Assertions.within(1e-3));
      }
    }
  }
}
