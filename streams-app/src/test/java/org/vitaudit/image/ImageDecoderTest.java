package org.vitaudit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.vitaudit.image.ImageRejectedException.Reason;
import org.vitaudit.testing.BadInputCorpus;

public class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  public static byte[] encode(BufferedImage img, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  public static BufferedImage noise(int w, int h, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void decodesEveryFormatItPromises() throws Exception {
    BufferedImage img = noise(20, 10, 1);
    for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
      BufferedImage back = decoder.decode(encode(img, format));
      assertThat(back.getWidth()).as(format).isEqualTo(20);
      assertThat(back.getHeight()).as(format).isEqualTo(10);
    }
  }

  /**
   * The bytes are in memory: nothing is cached on disk. ImageIO's own input streams would write
   * each image to a temporary file in its cache folder; with that folder gone they cannot be made
   * at all, and the decoder must not notice.
   */
  @Test
  void decodesWithoutACacheOnDisk() throws Exception {
    BufferedImage img = noise(20, 10, 2);
    String[] formats = {"png", "jpeg", "bmp", "gif"};
    List<byte[]> encoded = new ArrayList<>();
    for (String format : formats) {
      encoded.add(encode(img, format)); // ImageIO's writers use the cache folder too
    }
    boolean useCache = ImageIO.getUseCache();
    File cacheDir = ImageIO.getCacheDirectory();
    Path gone = Files.createTempDirectory("imageio-cache");
    try {
      ImageIO.setUseCache(true);
      ImageIO.setCacheDirectory(gone.toFile());
      Files.delete(gone);
      for (int i = 0; i < formats.length; i++) {
        assertThat(decoder.decode(encoded.get(i)).getWidth()).as(formats[i]).isEqualTo(20);
      }
      assertThat(decoder.decode(encoded.get(0)).getRGB(3, 4)).isEqualTo(img.getRGB(3, 4));
    } finally {
      ImageIO.setCacheDirectory(cacheDir);
      ImageIO.setUseCache(useCache);
    }
  }

  @Test
  void grayscaleSamplesAreReadRawNotThroughGamma() throws Exception {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 199);
    gray.getRaster().setSample(1, 0, 0, 17);
    Planes p = Planes.of(decoder.decode(encode(gray, "png")), Preprocessing.Channels.GRAY);
    // getRGB() would have said 229 for 199.
    assertThat(p.data()[0]).containsExactly(199f, 17f);
  }

  @Test
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOfSatisfying(
            ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
  }

  @Test
  void rejectsBytesThatAreNoImage() {
    byte[] junk = new byte[500];
    new Random(7).nextBytes(junk);
    assertThatThrownBy(() -> decoder.decode(junk))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT));
  }

  @Test
  void rejectsATruncatedJpeg() throws Exception {
    byte[] jpeg = encode(noise(64, 64, 2), "jpeg");
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThatThrownBy(() -> decoder.decode(cut))
        .isInstanceOfSatisfying(
            ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
  }

  @Test
  void rejectsATruncatedPng() throws Exception {
    byte[] png = encode(noise(64, 64, 3), "png");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> decoder.decode(cut))
        .isInstanceOfSatisfying(
            ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
  }

  @Test
  void rejectsAHundredMegapixelHeaderBeforeDecodingIt() {
    assertThatThrownBy(() -> decoder.decode(pngHeader(10_000, 10_000)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
              assertThat(e.getMessage()).contains("10000x10000");
            });
  }

  @Test
  void rejectsInputOverTheByteLimit() throws Exception {
    byte[] png = encode(noise(64, 64, 4), "png");
    ImageDecoder small = new ImageDecoder(new ImageLimits(100, 1_000_000));
    assertThatThrownBy(() -> small.decode(png))
        .isInstanceOfSatisfying(
            ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }

  /** ImageIO leaves EXIF orientation alone: the pixels are audited as stored (docs/records.md). */
  @Test
  void exifOrientationIsIgnored() throws Exception {
    byte[] rotated = Files.readAllBytes(BadInputCorpus.dir().resolve("exif-rotated.jpg"));
    BufferedImage image = decoder.decode(rotated);
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(image.getHeight()).isEqualTo(48);
  }

  /** A PNG signature and IHDR chunk claiming a huge image, with no pixel data behind it. */
  public static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes())
        .putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(13)
        .put(ihdr.array())
        .putInt((int) crc.getValue());
    return png.array();
  }
}
