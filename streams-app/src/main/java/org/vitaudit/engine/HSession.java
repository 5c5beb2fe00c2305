package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import org.vitaudit.model.graph.GenericHModelBuilder;

/**
 * An H graph in an ONNX Runtime session, run on the N masked copies in chunks of at most {@code
 * maxBatch} copies so memory stays bounded on large grids. The generic and the fast H share inputs
 * and output, so both run here.
 */
final class HSession implements HRunner {
  private final SessionFactory sessions;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String output;
  private final int copies;
  private final int maxBatch;
  private final int tokens;
  private final HKind kind;

  HSession(
      SessionFactory sessions,
      OrtSession session,
      String output,
      int copies,
      int maxBatch,
      int tokens,
      HKind kind) {
    this.sessions = sessions;
    this.env = sessions.env();
    this.session = session;
    this.output = output;
    this.copies = copies;
    this.maxBatch = maxBatch;
    this.tokens = tokens;
    this.kind = kind;
  }

  @Override
  public float[] logits(float[] features, float[] blockInput) {
    long[] shape = {1, tokens, features.length / tokens};
    float[] all = null;
    try (OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), shape);
        OnnxTensor x =
            blockInput == null
                ? null
                : OnnxTensor.createTensor(env, FloatBuffer.wrap(blockInput), shape)) {
      for (int start = 0; start < copies; start += maxBatch) {
        int end = Math.min(copies, start + maxBatch);
        try (OnnxTensor s =
                OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {start}), new long[] {1});
            OnnxTensor e =
                OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {end}), new long[] {1})) {
          Map<String, OnnxTensor> inputs =
              new HashMap<>(
                  Map.of(
                      GenericHModelBuilder.FEATURES,
                      f,
                      GenericHModelBuilder.CHUNK_START,
                      s,
                      GenericHModelBuilder.CHUNK_END,
                      e));
          if (x != null) {
            inputs.put(GenericHModelBuilder.BLOCK_INPUT, x);
          }
          try (OrtSession.Result r = session.run(inputs)) {
            FloatBuffer out = ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer();
            int classes = out.remaining() / (end - start);
            if (all == null) {
              all = new float[copies * classes];
            }
            out.get(all, start * classes, (end - start) * classes);
          }
        }
      }
    } catch (OrtException e) {
      throw new EngineException("H failed: " + e.getMessage(), e);
    }
    return all;
  }

  @Override
  public HKind kind() {
    return kind;
  }

  @Override
  public void close() {
    sessions.close(session);
  }
}
