package org.vitaudit.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * Decoding and preprocessing fuzzed with Jazzer: whatever the bytes, the only failure is an {@link
 * ImageRejectedException} with a reason and a message, the decoded image stays within the pixel
 * limit, the tensor has the model's size, and each input takes bounded time. Without {@code
 * JAZZER_FUZZ=1} it runs the seed corpus in {@code ImageDecoderFuzzTestInputs/} as a regression
 * test; how to fuzz: docs/reliability.md#bad-input.
 */
class ImageDecoderFuzzTest {
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);
  private static final long MAX_MILLIS = 20_000;

  /** ImageNet's resize-and-crop, and an MNIST-like grey input scaled straight to 28x28. */
  private static final List<Preprocessor> PREPROCESSORS =
      List.of(
          new Preprocessor(Preprocessing.IMAGENET),
          new Preprocessor(
              new Preprocessing(
                  28,
                  28,
                  Optional.empty(),
                  0,
                  0,
                  Preprocessing.Channels.GRAY,
                  new float[] {0.1307f},
                  new float[] {0.3081f})));

  @FuzzTest(maxDuration = "10m")
  void decodeAndPreprocess(byte[] bytes) {
    long start = System.nanoTime();
    try {
      BufferedImage image = DECODER.decode(bytes);
      assertThat((long) image.getWidth() * image.getHeight())
          .isLessThanOrEqualTo(ImageLimits.DEFAULT.maxPixels());
      for (Preprocessor p : PREPROCESSORS) {
        Preprocessing spec = p.spec();
        assertThat(p.prepare(image).tensor())
            .hasSize(spec.channels().count() * spec.width() * spec.height());
      }
    } catch (ImageRejectedException rejected) {
      assertThat(rejected.reason()).isNotNull();
      assertThat(rejected.getMessage()).isNotBlank();
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
  }
}
