package org.vitaudit.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of latencies since start in fixed buckets: upper bounds doubling from 1 ms to 65,536 ms,
 * then one bucket for anything slower, so the histogram has the same 18 bars whatever the traffic.
 */
final class LatencyHistogram {
  /**
   * One bar: the latencies in (previous bound, upperMs]; the last bar's bound is null (no bound).
   */
  record Bucket(Double upperMs, long count) {}

  private static final double[] BOUNDS = bounds();
  private final long[] counts = new long[BOUNDS.length + 1];

  private static double[] bounds() {
    double[] b = new double[17];
    for (int i = 0; i < b.length; i++) {
      b[i] = Math.pow(2, i);
    }
    return b;
  }

  void record(double ms) {
    int i = 0;
    while (i < BOUNDS.length && ms > BOUNDS[i]) {
      i++;
    }
    counts[i]++;
  }

  List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      out.add(new Bucket(i < BOUNDS.length ? Double.valueOf(BOUNDS[i]) : null, counts[i]));
    }
    return out;
  }
}
