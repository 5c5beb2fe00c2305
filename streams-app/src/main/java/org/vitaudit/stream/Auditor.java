package org.vitaudit.stream;

import java.util.List;
import java.util.Optional;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.evaluation.ImageQuality;
import org.vitaudit.evaluation.QualityMeter;
import org.vitaudit.evaluation.ReciproCamMethod;
import org.vitaudit.evaluation.SaliencyMethod;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessing;
import org.vitaudit.image.Preprocessor;

/**
 * What the stream asks of the model: decode and preprocess an image, explain a batch, and for a
 * sample of events measure the explanation's quality. Thread-safe: stream threads share one.
 */
public final class Auditor {
  /** A decoded, preprocessed image and what decoding it cost. */
  public record Prepared(float[] tensor, double decodeMillis) {}

  private final SaliencyEngine engine;
  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;
  private final ExplainRequest request;
  private final double qualitySampleRate;
  private final QualityMeter quality;
  private final int probeSize;

  public Auditor(
      SaliencyEngine engine,
      ImageDecoder decoder,
      Preprocessing preprocessing,
      ExplainRequest request,
      double qualitySampleRate) {
    this.engine = engine;
    this.decoder = decoder;
    this.preprocessor = new Preprocessor(preprocessing);
    this.request = request;
    this.qualitySampleRate = qualitySampleRate;
    this.quality =
        new QualityMeter(
            new ReciproCamMethod("live", engine, request.masks()),
            preprocessing.height(),
            preprocessing.width());
    this.probeSize =
        preprocessing.channels().count() * preprocessing.height() * preprocessing.width();
  }

  public ModelFacts facts() {
    return engine.facts();
  }

  public ExplainRequest request() {
    return request;
  }

  public Prepared prepare(byte[] image) throws ImageRejectedException {
    long t0 = System.nanoTime();
    float[] tensor = preprocessor.tensor(decoder.decode(image));
    return new Prepared(tensor, (System.nanoTime() - t0) / 1e6);
  }

  /** One explanation per image, G run once on the whole batch. */
  public List<Explanation> explain(List<Prepared> batch) {
    return engine.explain(batch.stream().map(Prepared::tensor).toList(), request);
  }

  /**
   * Runs the model on a blank input, all zeros (an image of the preprocessing's mean colour): the
   * input the engine ran when it opened, and {@link #probe()} again once the application has opened
   * it, so it is known to work. After a failure on an event, this tells the event's fault (the
   * probe still runs) from the model's (the probe fails too).
   *
   * @return empty where the model runs it, else its failure
   */
  public Optional<RuntimeException> probe() {
    try {
      engine.explain(new float[probeSize], request);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e);
    }
  }

  /**
   * The quality of this event's top map, for the configured share of events. Chosen by a hash of
   * the event id rather than at random, so a replay samples the same events.
   */
  public Optional<ImageQuality> sampleQuality(String eventId, Prepared image, Explanation e) {
    if (qualitySampleRate <= 0
        || (eventId.hashCode() & 0x7fffffff) % 10_000 >= qualitySampleRate * 10_000) {
      return Optional.empty();
    }
    int c = e.top().classIndex();
    var map = e.mapFor(c);
    var drawn =
        new SaliencyMethod.Output(map.values(), map.height(), map.width(), e.probabilities()[c]);
    return Optional.of(quality.measure(image.tensor(), c, drawn).quality());
  }
}
