package org.vitaudit.bench;

import java.util.List;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.ImageSession;
import org.vitaudit.model.ModelBundle;

/**
 * The unmodified model alone, for measuring what plain inference costs next to saliency: the
 * baseline of {@code bench}.
 */
public final class Classifier implements AutoCloseable {
  private final ImageSession model;
  private final List<String> logits;

  public Classifier(ModelBundle model, int[] inputShape, Device device, int intraOpThreads) {
    this.model = ImageSession.of(model, inputShape, device, intraOpThreads, "the model");
    this.logits = List.of(this.model.outputNames().get(0));
  }

  /** The logits of one image. */
  public float[] logits(float[] image) {
    return model.run(image, logits).get(0).values();
  }

  @Override
  public void close() {
    model.close();
  }
}
