package org.vitaudit.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.vitaudit.config.AppConfig;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.testing.Fixture;

/** A real model (the timm-style fixture) behind an auditor, and images to feed it. */
public final class StreamTestSupport {
  static final Fixture MODEL = Fixture.named("timm_vit");

  private StreamTestSupport() {}

  /**
   * An audit processor on raw input over {@code engine} (top 1, new metrics), initialised on {@code
   * context}.
   */
  static AuditProcessor<byte[]> rawProcessor(
      SaliencyEngine engine,
      ProcessorContext<byte[], Outcome> context,
      int batch,
      long waitMs,
      boolean joinLabels,
      Optional<BatchWorkers> overlap,
      LongSupplier clock) {
    AuditProcessor<byte[]> p =
        new AuditProcessor<>(
            auditor(engine, 1),
            new RawEventReader(),
            new AuditMetrics(new SimpleMeterRegistry()),
            batch,
            waitMs,
            joinLabels,
            overlap,
            clock);
    p.init(context);
    return p;
  }

  static SaliencyEngine engine() {
    return SaliencyEngine.open(MODEL.bundle(), MODEL.engineOptions());
  }

  /**
   * A real model that ONNX Runtime fails on for an all-white image ({@link #white()}) and runs on
   * every other: the per-event model error of docs/reliability.md, "Model failures".
   */
  static final Fixture FAULTY = Fixture.faulty("white_bucket_vit");

  static SaliencyEngine faultyEngine() {
    return SaliencyEngine.open(FAULTY.bundle(), FAULTY.engineOptions());
  }

  static Auditor auditor(SaliencyEngine engine, int topK) {
    return auditor(MODEL, engine, topK);
  }

  /** An auditor with the fixture's own preprocessing over an engine opened on it. */
  static Auditor auditor(Fixture model, SaliencyEngine engine, int topK) {
    return new Auditor(
        engine,
        new ImageDecoder(ImageLimits.DEFAULT),
        model.setup().preprocessing(),
        new ExplainRequest(MaskSpec.DEFAULT, ScoreMode.SOFTMAX, topK, List.of()),
        0);
  }

  static AppConfig config(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    m.put(AppConfig.MODEL_PATH_CONFIG, MODEL.onnx().toString());
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return new AppConfig(m);
  }

  public static byte[] png(long seed) {
    Random r = new Random(seed);
    return png(r::nextInt);
  }

  /** A 32x32 PNG whose every pixel is white: the image {@link #FAULTY} fails on. */
  public static byte[] white() {
    return png(bound -> bound - 1);
  }

  private static byte[] png(IntUnaryOperator rgbBelow) {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        img.setRGB(x, y, rgbBelow.applyAsInt(1 << 24));
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
