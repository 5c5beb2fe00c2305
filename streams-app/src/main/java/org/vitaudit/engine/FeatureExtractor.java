package org.vitaudit.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.model.ModelNotSupportedException;

/**
 * Runs G: the whole model plus F (and the block input X where H needs it) as extra outputs, on a
 * batch of images at once (one at a time when the model was exported with a fixed batch of 1).
 */
final class FeatureExtractor implements AutoCloseable {
  /**
   * G's outputs for one image: the model's logits, F and X ([T, D] row-major; X is null where H
   * does not need it).
   */
  record Output(float[] logits, float[] features, float[] blockInput) {}

  private final SessionFactory sessions;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String input;
  private final String logits;
  private final String features;
  private final Optional<String> blockInput;
  private final long[] imageShape;
  private final boolean fixedBatch;
  private int tokens;
  private int dim;

  FeatureExtractor(
      SessionFactory sessions,
      OrtSession session,
      String input,
      String logits,
      String features,
      Optional<String> blockInput,
      long[] imageShape,
      boolean fixedBatch) {
    this.sessions = sessions;
    this.env = sessions.env();
    this.session = session;
    this.input = input;
    this.logits = logits;
    this.features = features;
    this.blockInput = blockInput;
    this.imageShape = imageShape;
    this.fixedBatch = fixedBatch;
  }

  int tokens() {
    return tokens;
  }

  int dim() {
    return dim;
  }

  List<Output> run(List<float[]> images) {
    if (fixedBatch && images.size() > 1) {
      List<Output> out = new ArrayList<>();
      for (float[] image : images) {
        out.addAll(run(List.of(image)));
      }
      return out;
    }
    int per = Math.toIntExact(imageShape[0] * imageShape[1] * imageShape[2]);
    FloatBuffer batch = FloatBuffer.allocate(per * images.size());
    for (float[] image : images) {
      if (image.length != per) {
        throw new EngineException(
            "an input tensor has "
                + image.length
                + " values, the model expects "
                + per
                + " ("
                + imageShape[0]
                + "x"
                + imageShape[1]
                + "x"
                + imageShape[2]
                + ")");
      }
      batch.put(image);
    }
    batch.flip();
    long[] shape = {images.size(), imageShape[0], imageShape[1], imageShape[2]};
    try (OnnxTensor in = OnnxTensor.createTensor(env, batch, shape);
        OrtSession.Result r = session.run(Map.of(input, in))) {
      OnnxTensor l = (OnnxTensor) r.get(logits).orElseThrow();
      OnnxTensor f = (OnnxTensor) r.get(features).orElseThrow();
      if (f.getInfo().type != OnnxJavaType.FLOAT) {
        throw new ModelNotSupportedException(
            "the cut tensor is "
                + f.getInfo().type
                + ", not float32: half-precision models are not served; export the model in"
                + " float32");
      }
      long[] fShape = f.getInfo().getShape();
      if (fShape.length != 3) {
        throw new EngineException(
            "the cut tensor should be [batch, tokens, dim] but has shape "
                + Arrays.toString(fShape));
      }
      tokens = (int) fShape[1];
      dim = (int) fShape[2];
      FloatBuffer x =
          blockInput.isEmpty()
              ? null
              : ((OnnxTensor) r.get(blockInput.get()).orElseThrow()).getFloatBuffer();
      return split(l.getFloatBuffer(), f.getFloatBuffer(), x, images.size());
    } catch (OrtException e) {
      throw new EngineException("G failed: " + e.getMessage(), e);
    }
  }

  private static List<Output> split(FloatBuffer l, FloatBuffer f, FloatBuffer x, int n) {
    int classes = l.remaining() / n;
    int feat = f.remaining() / n;
    List<Output> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] li = new float[classes];
      float[] fi = new float[feat];
      l.get(li);
      f.get(fi);
      float[] xi = null;
      if (x != null) {
        xi = new float[feat];
        x.get(xi);
      }
      out.add(new Output(li, fi, xi));
    }
    return out;
  }

  @Override
  public void close() {
    sessions.close(session);
  }
}
