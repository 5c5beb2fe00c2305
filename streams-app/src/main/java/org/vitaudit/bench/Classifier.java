package org.vitaudit.bench;

import java.util.List;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ImageSession;
import org.vitaudit.engine.SessionSettings;
import org.vitaudit.engine.StageClock;
import org.vitaudit.model.ModelBundle;

/**
 * The unmodified model alone, for measuring what plain inference costs next to saliency: the
 * baseline of {@code bench}. One prediction is what the engine is handed, a preprocessed tensor as
 * a float array, to the logits as a float array.
 */
public final class Classifier implements AutoCloseable {
  private final ImageSession model;
  private final List<String> logits;

  /** The model with the sessions' options an engine with {@code options} gets. */
  public Classifier(ModelBundle model, EngineOptions options) {
    this.model = ImageSession.of(model, options, "the model");
    this.logits = List.of(this.model.outputNames().get(0));
  }

  /** The options its session was created with. */
  public SessionSettings settings() {
    return model.settings();
  }

  /** The logits of one image. */
  public float[] logits(float[] image) {
    return logits(image, StageClock.OFF);
  }

  /** The logits of one image, lapping {@code clock} at each stage of {@link ImageSession#run}. */
  public float[] logits(float[] image, StageClock clock) {
    return model.run(image, logits, clock).get(0).values();
  }

  @Override
  public void close() {
    model.close();
  }
}
