package org.vitaudit.scenes;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * How scene images are stored beside {@code labels.csv}: one PNG per scene for people and other
 * tools, or one raw byte file for training, where decoding thousands of PNGs would cost more than
 * making them.
 */
public enum SceneFormat {
  /** {@code scene_000000.png}, {@code scene_000001.png}, ... */
  PNG {
    @Override
    public Sink open(Path dir) {
      return new Sink() {
        @Override
        public String write(int index, BufferedImage image) throws IOException {
          String name = String.format(Locale.ROOT, "scene_%06d.png", index);
          if (!ImageIO.write(image, "png", dir.resolve(name).toFile())) {
            throw new IOException("no PNG writer available");
          }
          return name;
        }

        @Override
        public void close() {}
      };
    }
  },
  /**
   * {@code images.u8}: every scene's pixels in order, row-major, 3 bytes (R, G, B) each, so N
   * scenes of side S make N x S x S x 3 bytes. Row i of {@code labels.csv} is image i.
   */
  RAW {
    @Override
    public Sink open(Path dir) throws IOException {
      OutputStream out =
          new BufferedOutputStream(Files.newOutputStream(dir.resolve(RAW_FILE)), 1 << 16);
      return new Sink() {
        @Override
        public String write(int index, BufferedImage image) throws IOException {
          int w = image.getWidth();
          int h = image.getHeight();
          int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
          byte[] bytes = new byte[rgb.length * 3];
          for (int i = 0; i < rgb.length; i++) {
            bytes[3 * i] = (byte) (rgb[i] >> 16);
            bytes[3 * i + 1] = (byte) (rgb[i] >> 8);
            bytes[3 * i + 2] = (byte) rgb[i];
          }
          out.write(bytes);
          return RAW_FILE + "#" + index;
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }
  };

  /** The file {@link #RAW} writes. */
  public static final String RAW_FILE = "images.u8";

  /** Where one data set's images go; {@link #write} returns the {@code file} column's value. */
  public interface Sink extends AutoCloseable {
    String write(int index, BufferedImage image) throws IOException;

    @Override
    void close() throws IOException;
  }

  public abstract Sink open(Path dir) throws IOException;
}
