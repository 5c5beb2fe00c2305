package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.vitaudit.model.ModelBundle;

/**
 * ONNX Runtime on its own, for {@code bench}'s measure of what a run costs with nothing of ours
 * around it: a plain {@link OrtSession} on the model, created by the same {@link SessionFactory}
 * code (so with the same session options: optimisation level, intra-op threads, provider) as every
 * session the engine and {@link ImageSession} open, and fed input tensors prepared beforehand.
 */
public final class PlainOrtSession implements AutoCloseable {
  private final SessionFactory sessions;
  private final OrtSession session;
  private final String input;
  private final long[] shape;

  private PlainOrtSession(SessionFactory sessions, OrtSession session, int[] inputShape) {
    this.sessions = sessions;
    this.session = session;
    this.input = session.getInputNames().iterator().next();
    this.shape = new long[] {1, inputShape[0], inputShape[1], inputShape[2]};
  }

  /** The model in a session of its own, on a factory of its own, with the engine's options. */
  public static PlainOrtSession open(ModelBundle model, EngineOptions options) {
    SessionFactory sessions = SessionFactory.of(options, model.externalData());
    try {
      return new PlainOrtSession(sessions, sessions.create(model.onnx()), options.inputShape());
    } catch (RuntimeException e) {
      sessions.close();
      throw e;
    }
  }

  /** The options the session was created with. */
  public SessionSettings settings() {
    return sessions.settings();
  }

  /**
   * One image as an input tensor over native memory of its own, made once so that runs time nothing
   * but ONNX Runtime; the caller closes it.
   */
  public OnnxTensor prepare(float[] image) {
    FloatBuffer direct = ImageSession.directFloats(image.length);
    direct.put(image).flip();
    try {
      return OnnxTensor.createTensor(sessions.env(), direct, shape);
    } catch (OrtException e) {
      throw new EngineException("cannot make an input tensor: " + e.getMessage(), e);
    }
  }

  /** One run on a prepared tensor; its outputs are released unread. */
  public void run(OnnxTensor image) {
    try (OrtSession.Result r = session.run(Map.of(input, image))) {
      // nothing is read: the run alone is measured
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  /** The first output of one run, for checking it is the model {@code bench} measures. */
  public float[] firstOutput(OnnxTensor image) {
    try (OrtSession.Result r = session.run(Map.of(input, image))) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    sessions.close();
  }
}
