package org.vitaudit.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.vitaudit.image.ImageRejectedException.Reason;

/** Decodes JPEG, PNG, BMP and GIF bytes, rejecting empty, oversized, unknown and corrupt ones. */
public final class ImageDecoder {
  private static final Set<String> FORMATS = Set.of("jpeg", "png", "bmp", "gif");

  private final ImageLimits limits;

  public ImageDecoder(ImageLimits limits) {
    this.limits = limits;
  }

  public BufferedImage decode(byte[] bytes) throws ImageRejectedException {
    if (bytes == null || bytes.length == 0) {
      throw new ImageRejectedException(Reason.EMPTY, "the image is empty (0 bytes)");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "the image has " + bytes.length + " bytes, more than the limit of " + limits.maxBytes());
    }
    // The bytes are in memory already: ImageIO.createImageInputStream would cache them again in a
    // temporary file (its default where a temporary folder exists), a file made and deleted per
    // image.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in);
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > limits.maxPixels()) {
          throw new ImageRejectedException(
              Reason.TOO_MANY_PIXELS,
              "the "
                  + format
                  + " image is "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + " = "
                  + pixels
                  + " pixels, more than the limit of "
                  + limits.maxPixels());
        }
        // ImageIO only warns about a truncated JPEG and returns grey rows: treat it as corrupt.
        StringBuilder warnings = new StringBuilder();
        reader.addIIOReadWarningListener(warningCollector(warnings));
        BufferedImage image = reader.read(0);
        if (warnings.length() > 0) {
          throw new ImageRejectedException(
              Reason.CORRUPT, "the " + format + " image is damaged: " + warnings);
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(
          Reason.CORRUPT,
          "the image could not be decoded: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  private static ImageReader readerFor(ImageInputStream in) throws ImageRejectedException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      try {
        if (FORMATS.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
          return r;
        }
      } catch (IOException e) {
        // try the next reader
      }
    }
    throw new ImageRejectedException(
        Reason.UNSUPPORTED_FORMAT, "the bytes are not a JPEG, PNG, BMP or GIF image");
  }

  private static IIOReadWarningListener warningCollector(StringBuilder sink) {
    return (source, warning) -> sink.append(sink.length() > 0 ? "; " : "").append(warning);
  }
}
