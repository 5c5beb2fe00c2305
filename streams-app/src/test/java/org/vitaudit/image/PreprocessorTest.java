package org.vitaudit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.Fixture;

class PreprocessorTest {
  @Test
  void reproducesTheTensorPyTorchWasGivenFromTheSamePixels() throws Exception {
    Fixture f = Fixture.named("nonsquare_vit");
    JsonNode expected = f.expected();
    JsonNode pixels = expected.get("pixels_hwc_rgb"); // flat, height x width x RGB
    int h = expected.get("input_shape").get(2).asInt();
    int w = expected.get("input_shape").get(3).asInt();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        img.setRGB(
            x,
            y,
            (pixels.get(i).asInt() << 16)
                | (pixels.get(i + 1).asInt() << 8)
                | pixels.get(i + 2).asInt());
      }
    }
    // Through PNG bytes, as the app receives images.
    BufferedImage decoded =
        new ImageDecoder(ImageLimits.DEFAULT).decode(ImageDecoderTest.encode(img, "png"));
    float[] tensor = new Preprocessor(f.setup().preprocessing()).prepare(decoded).tensor();
    float[] want = f.expectedInput();
    assertThat(tensor).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(tensor[i]).isCloseTo(want[i], within(1e-6f));
    }
  }

  @Test
  void resizesTheShorterSideThenCropsTheCentre() {
    // 8 wide, 4 high; column x has value 10*x.
    BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        int v = 10 * x;
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    Preprocessing spec =
        new Preprocessing(
            2,
            2,
            Optional.of(2),
            2,
            2,
            Preprocessing.Channels.GRAY,
            new float[] {0},
            new float[] {1f / 255});
    ModelInput in = new Preprocessor(spec).prepare(img);
    // Resize to 4x2: output x samples source x = 2x + 0.5 -> 5, 25, 45, 65; centre crop keeps 25,
    // 45.
    float[] want = {25f, 45f, 25f, 45f};
    for (int i = 0; i < want.length; i++) {
      assertThat(in.tensor()[i]).isCloseTo(want[i], within(1e-4f));
    }
    assertThat(in.view().getWidth()).isEqualTo(2);
    // Original column 3 (x 3..3) maps to model-input x 0.5..1.0.
    assertThat(in.mapBox(3, 0, 3, 3)[0]).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void singleMeanAndStdBroadcastToEveryChannel() {
    Preprocessing p =
        Preprocessing.IMAGENET.withMean(new float[] {0.5f}).withStd(new float[] {0.25f});
    assertThat(p.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(p.std()).containsExactly(0.25f, 0.25f, 0.25f);
  }
}
