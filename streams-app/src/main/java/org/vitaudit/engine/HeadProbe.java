package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitaudit.model.graph.BlockOutput;
import org.vitaudit.model.graph.Cut;
import org.vitaudit.model.graph.HeadModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;

/**
 * Finds which token rows of the last block's output reach the logits: the head runs on a random
 * block output, then once more with each row replaced in turn; a row the head reads moves the
 * logits. This holds for any spelling of the pooling (Gather, Slice, ReduceMean, Concat of both).
 */
final class HeadProbe {
  private HeadProbe() {}

  /** {@code read[t]} for each of the {@code tokens} rows. */
  static boolean[] rowsRead(
      SessionFactory sessions, OnnxGraph graph, Cut cut, int tokens, int dim) {
    String blockOutput = BlockOutput.find(graph, cut);
    SplittableRandom random = new SplittableRandom(20261127L);
    float[] base = uniform(random, tokens * dim);
    boolean[] read = new boolean[tokens];
    try (SessionFactory.Lease lease =
        sessions.lease(HeadModelBuilder.build(graph, blockOutput, tokens, dim).toByteArray())) {
      OrtSession head = lease.session();
      float[] reference = run(sessions, head, base, tokens, dim);
      for (int t = 0; t < tokens; t++) {
        float[] changed = base.clone();
        for (int d = 0; d < dim; d++) {
          changed[t * dim + d] = (float) (3 * random.nextDouble() - 1.5);
        }
        float[] logits = run(sessions, head, changed, tokens, dim);
        for (int c = 0; c < logits.length && !read[t]; c++) {
          read[t] = Math.abs(logits[c] - reference[c]) > 1e-6 * Math.max(1, Math.abs(reference[c]));
        }
      }
    } catch (OrtException e) {
      throw new EngineException("probing the head failed: " + e.getMessage(), e);
    }
    return read;
  }

  private static float[] run(
      SessionFactory sessions, OrtSession head, float[] z, int tokens, int dim)
      throws OrtException {
    try (OnnxTensor in =
            OnnxTensor.createTensor(
                sessions.env(), FloatBuffer.wrap(z), new long[] {1, tokens, dim});
        OrtSession.Result r = head.run(Map.of(HeadModelBuilder.BLOCK_OUTPUT, in))) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    }
  }

  private static float[] uniform(SplittableRandom random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
