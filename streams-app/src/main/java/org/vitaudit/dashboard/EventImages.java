package org.vitaudit.dashboard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.ModelInput;
import org.vitaudit.image.OverlayRenderer;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.SaliencyMap;

/**
 * An event's picture as PNG, plain or with one class's map over it, drawn the way {@code render}
 * draws it: the input fetched by its stored coordinates, decoded with the stream's limits,
 * preprocessed as the model does, overlaid by {@link OverlayRenderer}. Images are not kept; the
 * last {@code cacheSize} PNGs are, so a page that polls the feed does not refetch them.
 */
public final class EventImages {
  private final InputImages inputs;
  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;
  private final Map<String, byte[]> cache;

  public EventImages(
      InputImages inputs, ImageDecoder decoder, Preprocessor preprocessor, int cacheSize) {
    this.inputs = inputs;
    this.decoder = decoder;
    this.preprocessor = preprocessor;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > cacheSize;
          }
        };
  }

  /**
   * @param classIndex the class whose map to draw, or null for the picture alone
   * @return empty when the event has no image or no map of that class, or its input is gone
   */
  public Optional<byte[]> png(FeedEntry e, Integer classIndex) {
    if (e.audit() == null) {
      return Optional.empty();
    }
    String key = e.seq() + ":" + classIndex;
    synchronized (cache) {
      byte[] hit = cache.get(key);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    Optional<SaliencyMap> map = classIndex == null ? Optional.empty() : map(e, classIndex);
    if (classIndex != null && map.isEmpty()) {
      return Optional.empty();
    }
    AuditRecord a = e.audit();
    Optional<byte[]> bytes =
        inputs.imageAt(
            a.getInput().getTopic(), a.getInput().getPartition(), a.getInput().getOffset());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    ModelInput input;
    try {
      input = preprocessor.prepare(decoder.decode(bytes.get()));
    } catch (ImageRejectedException rejected) {
      return Optional.empty();
    }
    BufferedImage picture =
        map.map(m -> OverlayRenderer.render(input.view(), values(m), m.getHeight(), m.getWidth()))
            .orElse(input.view());
    byte[] png = encode(picture);
    synchronized (cache) {
      cache.put(key, png);
    }
    return Optional.of(png);
  }

  private static Optional<SaliencyMap> map(FeedEntry e, int classIndex) {
    Optional<SaliencyMap> inAudit = DashboardState.mapOf(e.audit(), classIndex);
    Misprediction m = e.misprediction();
    if (inAudit.isPresent() || m == null) {
      return inAudit;
    }
    return m.getTrueClassIndex() == classIndex
        ? Optional.of(m.getTrueClassMap())
        : Optional.empty();
  }

  /** Bytes 0-255 as the 0-1 values the overlay colours. */
  static float[] values(SaliencyMap m) {
    byte[] b = DashboardState.bytes(m.getValues());
    float[] out = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (b[i] & 0xFF) / 255f;
    }
    return out;
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
