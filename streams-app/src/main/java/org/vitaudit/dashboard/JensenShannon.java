package org.vitaudit.dashboard;

/**
 * The Jensen-Shannon divergence of two distributions on the same grid, in bits: 0 for the same
 * distribution, 1 for two with no cell in common. Symmetric and always finite (unlike
 * Kullback-Leibler, a cell that one map never lights does not make it infinite), which is why the
 * dashboard uses it as its drift score.
 */
final class JensenShannon {
  private static final double LN2 = Math.log(2);

  private JensenShannon() {}

  /** JSD(p, q) = (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2, base-2 logarithms. */
  static double divergence(double[] p, double[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException(
          "distributions of " + p.length + " and " + q.length + " cells");
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      sum += term(p[i], m) + term(q[i], m);
    }
    // Rounding can leave a tiny negative or a value a hair above 1.
    return Math.max(0, Math.min(1, sum / 2 / LN2));
  }

  private static double term(double x, double m) {
    return x > 0 ? x * Math.log(x / m) : 0;
  }

  /** A map's bytes scaled to sum 1; a map that is all zeros is uniform (it says nothing). */
  static double[] normalised(byte[] values) {
    double[] out = new double[values.length];
    double total = 0;
    for (byte b : values) {
      total += b & 0xFF;
    }
    for (int i = 0; i < values.length; i++) {
      out[i] = total == 0 ? 1.0 / values.length : (values[i] & 0xFF) / total;
    }
    return out;
  }
}
