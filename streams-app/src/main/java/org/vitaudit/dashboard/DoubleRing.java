package org.vitaudit.dashboard;

import java.util.Arrays;

/** The last {@code capacity} values, oldest overwritten first: the rolling windows' storage. */
final class DoubleRing {
  private final double[] values;
  private int next;
  private int size;

  DoubleRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    values = new double[capacity];
  }

  /** Adds a value; returns the one it pushed out, or NaN while the ring was not full. */
  double add(double v) {
    double evicted = size == values.length ? values[next] : Double.NaN;
    values[next] = v;
    next = (next + 1) % values.length;
    size = Math.min(size + 1, values.length);
    return evicted;
  }

  int size() {
    return size;
  }

  /** The values held, oldest first. */
  double[] toArray() {
    double[] out = new double[size];
    int start = size == values.length ? next : 0;
    for (int i = 0; i < size; i++) {
      out[i] = values[(start + i) % values.length];
    }
    return out;
  }

  /** Nearest-rank percentile of the values held ({@code q} in (0, 1]), NaN when empty. */
  double percentile(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(toArray(), size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size);
    return sorted[Math.max(0, Math.min(size, rank) - 1)];
  }
}
