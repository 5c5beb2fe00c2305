package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.graph.AttentionProbeModels;
import org.vitaudit.model.graph.AttentionSite;
import org.vitaudit.model.graph.AttentionWeights;
import org.vitaudit.model.graph.Cut;
import org.vitaudit.model.graph.OnnxGraph;

/**
 * Reads the last block's attention weights by running pieces of the graph on basis vectors: token t
 * of a probe carries e_j, so the projection's output at t is row j of its matrix plus the bias.
 * This needs no knowledge of how an exporter fused, split, reshaped or transposed the projections.
 */
final class AttentionProbe {
  private final SessionFactory sessions;
  private final OrtEnvironment env;

  AttentionProbe(SessionFactory sessions) {
    this.sessions = sessions;
    this.env = sessions.env();
  }

  AttentionWeights read(OnnxGraph graph, Cut cut, AttentionSite site, int tokens, int dim) {
    try (SessionFactory.Lease projLease =
            sessions.lease(
                AttentionProbeModels.projections(graph, cut, site, tokens, dim).toByteArray());
        SessionFactory.Lease outLease =
            sessions.lease(
                AttentionProbeModels.outputProjection(graph, cut, site, tokens, dim)
                    .toByteArray())) {
      OrtSession proj = projLease.session();
      OrtSession out = outLease.session();
      Probed q = affine(proj, site.queries(), tokens, dim, false);
      Probed k = affine(proj, site.keys(), tokens, dim, true);
      Probed v = affine(proj, site.values(), tokens, dim, false);
      if (q.heads != k.heads || q.heads != v.heads || q.width != k.width) {
        throw new ModelNotSupportedException(
            "queries, keys and values disagree in shape ("
                + Arrays.toString(q.shape)
                + ", "
                + Arrays.toString(k.shape)
                + ", "
                + Arrays.toString(v.shape)
                + ")");
      }
      float scale = site.scale();
      for (int i = 0; i < q.weight.length; i++) {
        q.weight[i] *= scale;
      }
      for (int i = 0; i < q.bias.length; i++) {
        q.bias[i] *= scale;
      }
      float[][] o = outputProjection(out, v, tokens, dim);
      return new AttentionWeights(
          dim, q.heads, q.width, v.width, q.weight, q.bias, k.weight, k.bias, v.weight, v.bias,
          o[0], o[1]);
    } catch (OrtException e) {
      throw new ModelNotSupportedException("probing the attention failed: " + e.getMessage(), e);
    }
  }

  /**
   * An affine per-token map read from one probe output.
   *
   * @param shape the output's shape for one image
   * @param heads product of the leading dimensions
   * @param width per-head width
   * @param weight [D, heads * width], inner index head * width + d
   */
  private record Probed(long[] shape, int heads, int width, float[] weight, float[] bias) {}

  /** Reads a [.., T, w] output (or [.., w, T] when {@code transposed}, as keys are for Q @ K). */
  private Probed affine(OrtSession session, String name, int tokens, int dim, boolean transposed)
      throws OrtException {
    float[][] zero = new float[1][];
    long[] shape = run(session, new float[tokens * dim], tokens, dim, name, zero);
    int rank = shape.length;
    if (rank < 3 || shape[transposed ? rank - 1 : rank - 2] != tokens) {
      throw new ModelNotSupportedException(
          "attention tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + ", not [..., "
              + tokens
              + ", width]");
    }
    int width = (int) shape[transposed ? rank - 2 : rank - 1];
    int heads = (int) (Arrays.stream(shape).reduce(1, (a, b) -> a * b) / ((long) width * tokens));
    int inner = heads * width;
    float[] bias = new float[inner];
    for (int i = 0; i < inner; i++) {
      bias[i] = zero[0][index(i / width, 0, i % width, tokens, width, transposed)];
    }
    float[] weight = new float[dim * inner];
    float[][] result = new float[1][];
    for (int first = 0; first < dim; first += tokens) {
      float[] f = new float[tokens * dim];
      for (int t = 0; t < tokens && first + t < dim; t++) {
        f[t * dim + first + t] = 1f;
      }
      run(session, f, tokens, dim, name, result);
      for (int t = 0; t < tokens && first + t < dim; t++) {
        int j = first + t;
        for (int i = 0; i < inner; i++) {
          weight[j * inner + i] =
              result[0][index(i / width, t, i % width, tokens, width, transposed)] - bias[i];
        }
      }
    }
    return new Probed(shape, heads, width, weight, bias);
  }

  private static int index(int head, int token, int d, int tokens, int width, boolean transposed) {
    return transposed ? (head * width + d) * tokens + token : (head * tokens + token) * width + d;
  }

  private long[] run(
      OrtSession session, float[] f, int tokens, int dim, String name, float[][] sink)
      throws OrtException {
    try (OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(f), new long[] {1, tokens, dim});
        OrtSession.Result r =
            session.run(Map.of(AttentionProbeModels.FEATURES, in), Set.of(name))) {
      OnnxTensor t = (OnnxTensor) r.get(0);
      FloatBuffer b = t.getFloatBuffer();
      sink[0] = new float[b.remaining()];
      b.get(sink[0]);
      return t.getInfo().getShape();
    }
  }

  /** Reads the output projection: basis vectors in the context's own layout, one per token. */
  private float[][] outputProjection(OrtSession session, Probed v, int tokens, int dim)
      throws OrtException {
    int inner = v.heads * v.width;
    float[] bo = new float[dim];
    float[] wo = new float[inner * dim];
    float[] zeros = new float[tokens * dim];
    float[] out =
        runContext(session, new float[v.heads * tokens * v.width], v.shape, zeros, tokens, dim);
    System.arraycopy(out, 0, bo, 0, dim);
    for (int first = 0; first < inner; first += tokens) {
      float[] context = new float[v.heads * tokens * v.width];
      for (int t = 0; t < tokens && first + t < inner; t++) {
        int j = first + t;
        context[index(j / v.width, t, j % v.width, tokens, v.width, false)] = 1f;
      }
      out = runContext(session, context, v.shape, zeros, tokens, dim);
      for (int t = 0; t < tokens && first + t < inner; t++) {
        for (int c = 0; c < dim; c++) {
          wo[(first + t) * dim + c] = out[t * dim + c] - bo[c];
        }
      }
    }
    return new float[][] {wo, bo};
  }

  private float[] runContext(
      OrtSession session, float[] context, long[] shape, float[] features, int tokens, int dim)
      throws OrtException {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(context), shape);
        OnnxTensor f =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {1, tokens, dim})) {
      inputs.put(AttentionProbeModels.CONTEXT, c);
      inputs.put(AttentionProbeModels.FEATURES, f);
      try (OrtSession.Result r = session.run(inputs)) {
        OnnxTensor t = (OnnxTensor) r.get(0);
        long[] s = t.getInfo().getShape();
        if (s.length != 3 || s[0] != 1 || s[1] != tokens || s[2] != dim) {
          throw new ModelNotSupportedException(
              "the attention output has shape "
                  + Arrays.toString(s)
                  + ", not [1, "
                  + tokens
                  + ", "
                  + dim
                  + "]");
        }
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
      }
    }
  }
}
