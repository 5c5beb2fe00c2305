package org.vitaudit.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Planes read from the raster where the pixels are 8-bit sRGB, and through getRGB otherwise: both
 * give exactly what getRGB gives pixel by pixel, for every kind of image the decoder returns and
 * the usual in-memory ones.
 */
class PlanesTest {
  private static final int[] TYPES = {
    BufferedImage.TYPE_INT_RGB,
    BufferedImage.TYPE_INT_ARGB,
    BufferedImage.TYPE_INT_ARGB_PRE,
    BufferedImage.TYPE_INT_BGR,
    BufferedImage.TYPE_3BYTE_BGR,
    BufferedImage.TYPE_4BYTE_ABGR,
    BufferedImage.TYPE_4BYTE_ABGR_PRE,
    BufferedImage.TYPE_USHORT_565_RGB,
    BufferedImage.TYPE_USHORT_555_RGB,
    BufferedImage.TYPE_BYTE_INDEXED,
    BufferedImage.TYPE_BYTE_BINARY
  };

  private static List<BufferedImage> images() throws IOException {
    Random rnd = new Random(11);
    List<BufferedImage> out = new ArrayList<>();
    for (int type : TYPES) {
      BufferedImage img = new BufferedImage(23 + rnd.nextInt(40), 17 + rnd.nextInt(40), type);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, rnd.nextInt());
        }
      }
      out.add(img);
      for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (ImageIO.write(img, format, bytes)) {
          out.add(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
        }
      }
    }
    return out;
  }

  @Test
  void everyImageReadsAsGetRgbGivesItPixelByPixel() throws IOException {
    for (BufferedImage img : images()) {
      Planes rgb = Planes.of(img, Preprocessing.Channels.RGB);
      Planes gray = Planes.of(img, Preprocessing.Channels.GRAY);
      int w = img.getWidth();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < w; x++) {
          int p = img.getRGB(x, y);
          float r = (p >> 16) & 0xff;
          float g = (p >> 8) & 0xff;
          float b = p & 0xff;
          int i = y * w + x;
          String where = "type " + img.getType() + " " + img.getColorModel() + " at " + x + "," + y;
          assertThat(rgb.data()[0][i]).as(where).isEqualTo(r);
          assertThat(rgb.data()[1][i]).as(where).isEqualTo(g);
          assertThat(rgb.data()[2][i]).as(where).isEqualTo(b);
          assertThat(gray.data()[0][i]).as(where).isEqualTo(0.299f * r + 0.587f * g + 0.114f * b);
        }
      }
    }
  }
}
