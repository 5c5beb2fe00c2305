package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.vitaudit.model.ModelBundle;

/**
 * The unmodified model alone, for measuring what plain inference costs next to saliency: the
 * baseline of {@code bench}.
 */
public final class Classifier implements AutoCloseable {
  private final SessionFactory sessions;
  private final OrtSession session;
  private final String input;
  private final long[] shape;

  public Classifier(ModelBundle model, int[] inputShape, Device device, int intraOpThreads) {
    this.sessions = new SessionFactory(device, intraOpThreads, model.externalData());
    this.session = sessions.create(model.onnx());
    this.input = session.getInputNames().iterator().next();
    this.shape = new long[] {1, inputShape[0], inputShape[1], inputShape[2]};
  }

  /** The logits of one image. */
  public float[] logits(float[] image) {
    try (OnnxTensor in = OnnxTensor.createTensor(sessions.env(), FloatBuffer.wrap(image), shape);
        OrtSession.Result r = session.run(Map.of(input, in))) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    } catch (OrtException e) {
      throw new EngineException("the model failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    sessions.close();
  }
}
