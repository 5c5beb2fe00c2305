package org.vitaudit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.vitaudit.model.graph.Tensors;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * An independent oracle for H: the last block, final norm, pooling and head computed with plain
 * loops in double precision from the weights read out of the ONNX initializers (located by the
 * fixture's {@code oracle.json}), no ONNX Runtime involved. Follows algorithm.md literally: x~ = F
 * * m; y = r + Attn(x~); z = y + MLP(LN2(y)); final norm, pooling, head; where the residual r is x~
 * (the default), X * m or X (the block input X, for the other residual choices).
 */
final class PlainJavaH {
  private final int heads;
  private final int headDim;
  private final double scale;
  private final double[][] wq, wk, wv, wo, fc1, fc2, head, headDist;

  /** A constant added to the scaled scores before the softmax, or null. */
  private final double[][] attnBias;

  private final double[] bq, bk, bv, bo, bfc1, bfc2, bhead, bheadDist;
  private final double[] ln2Gamma, ln2Beta, normGamma, normBeta;
  private final double ln2Eps, normEps;
  private final String act;
  private final String pool;
  private final boolean normBeforePool;
  private final boolean hasFinalNorm;

  PlainJavaH(Path onnx, JsonNode spec) throws IOException {
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto t :
        ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph().getInitializerList()) {
      inits.put(t.getName(), t);
    }
    heads = spec.get("heads").asInt();
    headDim = spec.get("head_dim").asInt();
    scale = spec.get("scale").asDouble();
    wq = matrix(inits, spec.get("q").get("weight"));
    wk = matrix(inits, spec.get("k").get("weight"));
    wv = matrix(inits, spec.get("v").get("weight"));
    wo = matrix(inits, spec.get("o").get("weight"));
    bq = bias(inits, spec.get("q").get("bias"), wq[0].length);
    bk = bias(inits, spec.get("k").get("bias"), wk[0].length);
    bv = bias(inits, spec.get("v").get("bias"), wv[0].length);
    bo = bias(inits, spec.get("o").get("bias"), wo[0].length);
    fc1 = matrix(inits, spec.get("fc1").get("weight"));
    bfc1 = bias(inits, spec.get("fc1").get("bias"), fc1[0].length);
    fc2 = matrix(inits, spec.get("fc2").get("weight"));
    bfc2 = bias(inits, spec.get("fc2").get("bias"), fc2[0].length);
    head = matrix(inits, spec.get("head").get("weight"));
    bhead = bias(inits, spec.get("head").get("bias"), head[0].length);
    JsonNode hd = spec.get("head_dist");
    headDist = hd == null || hd.isNull() ? null : matrix(inits, hd.get("weight"));
    bheadDist = headDist == null ? null : bias(inits, hd.get("bias"), headDist[0].length);
    JsonNode ln2 = spec.get("ln2");
    ln2Gamma = bias(inits, ln2.get("gamma"), wo[0].length);
    ln2Beta = bias(inits, ln2.get("beta"), wo[0].length);
    ln2Eps = ln2.get("eps").asDouble();
    JsonNode fn = spec.get("final_norm");
    hasFinalNorm = fn != null && !fn.isNull();
    normGamma = hasFinalNorm ? bias(inits, fn.get("gamma"), wo[0].length) : null;
    normBeta = hasFinalNorm ? bias(inits, fn.get("beta"), wo[0].length) : null;
    normEps = hasFinalNorm ? fn.get("eps").asDouble() : 0;
    JsonNode ab = spec.get("attn_bias");
    attnBias = ab == null || ab.isNull() ? null : matrix(inits, ab);
    act = spec.get("act").asText();
    pool = spec.get("pool").asText();
    normBeforePool = spec.get("norm_before_pool").asBoolean();
  }

  /** H's logits for every copy: masks [N, T] row-major, features [T, D] row-major. */
  double[][] logits(float[] features, float[] masks, int copies) {
    return logits(features, masks, copies, "masked-features", null);
  }

  /**
   * As above with another residual: {@code masked-input} adds X * m, {@code block-input} adds X
   * (blockInput [T, D] row-major).
   */
  double[][] logits(
      float[] features, float[] masks, int copies, String residual, float[] blockInput) {
    int tokens = masks.length / copies;
    int dim = features.length / tokens;
    double[][] out = new double[copies][];
    for (int n = 0; n < copies; n++) {
      double[][] x = new double[tokens][dim];
      double[][] r = new double[tokens][dim];
      for (int t = 0; t < tokens; t++) {
        double m = masks[n * tokens + t];
        for (int d = 0; d < dim; d++) {
          x[t][d] = m * features[t * dim + d];
          r[t][d] =
              switch (residual) {
                case "masked-features" -> x[t][d];
                case "masked-input" -> m * blockInput[t * dim + d];
                case "block-input" -> blockInput[t * dim + d];
                default -> throw new IllegalArgumentException(residual);
              };
        }
      }
      out[n] = headOf(block(x, r));
    }
    return out;
  }

  private double[][] block(double[][] x, double[][] residual) {
    double[][] q = linear(x, wq, bq);
    double[][] k = linear(x, wk, bk);
    double[][] v = linear(x, wv, bv);
    int tokens = x.length;
    double[][] attended = new double[tokens][heads * headDim];
    for (int h = 0; h < heads; h++) {
      int off = h * headDim;
      for (int i = 0; i < tokens; i++) {
        double[] logit = new double[tokens];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < tokens; j++) {
          double s = 0;
          for (int d = 0; d < headDim; d++) {
            s += q[i][off + d] * k[j][off + d];
          }
          logit[j] = s * scale + (attnBias == null ? 0 : attnBias[i][j]);
          max = Math.max(max, logit[j]);
        }
        double sum = 0;
        for (int j = 0; j < tokens; j++) {
          logit[j] = Math.exp(logit[j] - max);
          sum += logit[j];
        }
        for (int j = 0; j < tokens; j++) {
          for (int d = 0; d < headDim; d++) {
            attended[i][off + d] += logit[j] / sum * v[j][off + d];
          }
        }
      }
    }
    double[][] y = add(residual, linear(attended, wo, bo));
    double[][] hidden = linear(layerNorm(y, ln2Gamma, ln2Beta, ln2Eps), fc1, bfc1);
    for (double[] row : hidden) {
      for (int i = 0; i < row.length; i++) {
        row[i] = activation(row[i]);
      }
    }
    return add(y, linear(hidden, fc2, bfc2));
  }

  private double[] headOf(double[][] z) {
    double[][] tokens =
        hasFinalNorm && normBeforePool ? layerNorm(z, normGamma, normBeta, normEps) : z;
    switch (pool) {
      case "cls":
        return linear(new double[][] {tokens[0]}, head, bhead)[0];
      case "cls_dist_avg":
        {
          double[] a = linear(new double[][] {tokens[0]}, head, bhead)[0];
          double[] b = linear(new double[][] {tokens[1]}, headDist, bheadDist)[0];
          for (int i = 0; i < a.length; i++) {
            a[i] = (a[i] + b[i]) / 2;
          }
          return a;
        }
      case "mean":
        {
          double[] mean = new double[tokens[0].length];
          for (double[] t : tokens) {
            for (int i = 0; i < mean.length; i++) {
              mean[i] += t[i] / tokens.length;
            }
          }
          double[][] pooled = {mean};
          if (hasFinalNorm && !normBeforePool) {
            pooled = layerNorm(pooled, normGamma, normBeta, normEps);
          }
          return linear(pooled, head, bhead)[0];
        }
      default:
        throw new IllegalArgumentException("pool " + pool);
    }
  }

  private double activation(double x) {
    return switch (act) {
      case "relu" -> Math.max(0, x);
      case "gelu_erf" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case "gelu_tanh" ->
          0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      default -> throw new IllegalArgumentException("activation " + act);
    };
  }

  /** erf to ~1e-15 by its Taylor series near 0 and its continued fraction beyond. */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200; n++) {
        term *= -ax * ax / n;
        sum += term / (2 * n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = 0;
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (ax + f);
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    }
    return Math.copySign(r, x);
  }

  private static double[][] layerNorm(double[][] x, double[] gamma, double[] beta, double eps) {
    double[][] out = new double[x.length][x[0].length];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (double v : x[t]) {
        mean += v / x[t].length;
      }
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean) / x[t].length;
      }
      for (int i = 0; i < x[t].length; i++) {
        out[t][i] = (x[t][i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
      }
    }
    return out;
  }

  private static double[][] linear(double[][] x, double[][] w, double[] b) {
    double[][] out = new double[x.length][w[0].length];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < w[0].length; o++) {
        double s = b[o];
        for (int i = 0; i < w.length; i++) {
          s += x[t][i] * w[i][o];
        }
        out[t][o] = s;
      }
    }
    return out;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][a[0].length];
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[t].length; i++) {
        out[t][i] = a[t][i] + b[t][i];
      }
    }
    return out;
  }

  private static double[][] matrix(Map<String, TensorProto> inits, JsonNode ref) {
    TensorProto t = inits.get(ref.get("initializer").asText());
    float[] v = Tensors.floats(t);
    int rows = (int) t.getDims(0);
    int cols = (int) t.getDims(1);
    boolean transpose = ref.get("transpose").asBoolean();
    int r0 = ref.get("offset").get(0).asInt();
    int c0 = ref.get("offset").get(1).asInt();
    int in = ref.get("shape").get(0).asInt();
    int out = ref.get("shape").get(1).asInt();
    double[][] w = new double[in][out];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        int r = r0 + i;
        int c = c0 + o;
        w[i][o] = transpose ? v[c * cols + r] : v[r * cols + c];
      }
    }
    return w;
  }

  private static double[] bias(Map<String, TensorProto> inits, JsonNode ref, int length) {
    double[] b = new double[length];
    if (ref == null || ref.isNull()) {
      return b;
    }
    float[] v = Tensors.floats(inits.get(ref.get("initializer").asText()));
    int off = ref.get("offset").asInt();
    for (int i = 0; i < length; i++) {
      b[i] = v[off + i];
    }
    return b;
  }
}
