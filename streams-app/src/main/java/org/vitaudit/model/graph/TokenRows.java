package org.vitaudit.model.graph;

/**
 * Which rows of the last block the fast H computes for each masked copy: K rows per copy, each a
 * token of F scaled by its mask weight.
 *
 * <p>Two plans. {@link #prefix} takes the P prefix tokens, whose weights are the same in every
 * copy, for heads that read only those rows. {@link #distinct} serves any head: in copy n every
 * token with a non-zero weight gets its own row, and all zeroed tokens share one row, because a
 * zeroed token's features are 0, so its query, key and value are the projections' biases and its
 * row through attention, residual, LN2 and MLP is the same for each of them (the residual adds the
 * masked features, 0, under the default reading). {@link #tokenToRow} then spreads the K rows back
 * over the T tokens. Copies with fewer kept tokens pad with more copies of the zeroed row.
 *
 * @param copies N
 * @param tokens T
 * @param rows K, rows per copy
 * @param shared whether every copy has the same rows with the same weights (then row r of copy 0
 *     stands for all copies, and there is nothing to spread back)
 * @param source [N, K] row-major: the token each row is taken from (any token for a zeroed row)
 * @param weight [N, K] row-major: that token's mask weight in the copy, 0 for a zeroed row
 * @param tokenToRow [N, T] row-major: the row of its copy that token t's output is (null when
 *     shared)
 */
public record TokenRows(
    int copies,
    int tokens,
    int rows,
    boolean shared,
    long[] source,
    float[] weight,
    long[] tokenToRow) {

  /** The P prefix rows; their weights must be the same in every copy (kept or zeroed). */
  public static TokenRows prefix(float[] masks, int copies, int tokens, int prefix) {
    long[] source = new long[copies * prefix];
    float[] weight = new float[copies * prefix];
    for (int n = 0; n < copies; n++) {
      for (int r = 0; r < prefix; r++) {
        if (masks[n * tokens + r] != masks[r]) {
          throw new IllegalArgumentException("prefix token weights differ between copies");
        }
        source[n * prefix + r] = r;
        weight[n * prefix + r] = masks[r];
      }
    }
    return new TokenRows(copies, tokens, prefix, true, source, weight, null);
  }

  /** One row per kept token of each copy and one for all its zeroed tokens. */
  public static TokenRows distinct(float[] masks, int copies, int tokens) {
    int kept = 0;
    for (int n = 0; n < copies; n++) {
      kept = Math.max(kept, keptIn(masks, n, tokens));
    }
    int rows = kept + 1;
    long[] source = new long[copies * rows];
    float[] weight = new float[copies * rows];
    long[] tokenToRow = new long[copies * tokens];
    for (int n = 0; n < copies; n++) {
      int zeroRow = keptIn(masks, n, tokens); // rows after the kept ones are all zeroed rows
      int row = 0;
      for (int t = 0; t < tokens; t++) {
        float m = masks[n * tokens + t];
        if (m != 0f) {
          source[n * rows + row] = t;
          weight[n * rows + row] = m;
          tokenToRow[n * tokens + t] = row++;
        } else {
          tokenToRow[n * tokens + t] = zeroRow;
        }
      }
    }
    return new TokenRows(copies, tokens, rows, false, source, weight, tokenToRow);
  }

  private static int keptIn(float[] masks, int copy, int tokens) {
    int kept = 0;
    for (int t = 0; t < tokens; t++) {
      if (masks[copy * tokens + t] != 0f) {
        kept++;
      }
    }
    return kept;
  }
}
