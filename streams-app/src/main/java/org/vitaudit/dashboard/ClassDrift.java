package org.vitaudit.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where the model looks for one class: the mean of the normalised maps of the last {@code window}
 * events predicted as it, the mean since start, and the Jensen-Shannon divergence between the two
 * as a time series of at most {@code maxPoints} points, one per {@code pointIntervalMs} at most (a
 * later map in the same interval updates the interval's point). Memory is fixed per class: the
 * window's maps as bytes and two sums.
 */
final class ClassDrift {
  /** One point of the drift series. */
  record Point(long timeMillis, double drift) {}

  private final int height;
  private final int width;
  private final int window;
  private final int maxPoints;
  private final long pointIntervalMs;
  private final Deque<byte[]> recent = new ArrayDeque<>();
  private final double[] recentSum;
  private final double[] totalSum;
  private long total;
  private final Deque<Point> series = new ArrayDeque<>();

  ClassDrift(int height, int width, int window, int maxPoints, long pointIntervalMs) {
    this.height = height;
    this.width = width;
    this.window = window;
    this.maxPoints = maxPoints;
    this.pointIntervalMs = pointIntervalMs;
    this.recentSum = new double[height * width];
    this.totalSum = new double[height * width];
  }

  boolean fits(int h, int w) {
    return h == height && w == width;
  }

  void add(byte[] map, long timeMillis) {
    double[] p = JensenShannon.normalised(map);
    for (int i = 0; i < p.length; i++) {
      recentSum[i] += p[i];
      totalSum[i] += p[i];
    }
    total++;
    recent.addLast(map);
    if (recent.size() > window) {
      // The same bytes normalise to the same values, so the sum loses exactly what it gained.
      double[] old = JensenShannon.normalised(recent.removeFirst());
      for (int i = 0; i < old.length; i++) {
        recentSum[i] -= old[i];
      }
    }
    Point point = new Point(timeMillis, drift());
    Point last = series.peekLast();
    if (last != null
        && timeMillis - last.timeMillis() < pointIntervalMs
        && timeMillis >= last.timeMillis()) {
      series.removeLast();
      point = new Point(last.timeMillis(), point.drift());
    }
    series.addLast(point);
    if (series.size() > maxPoints) {
      series.removeFirst();
    }
  }

  int height() {
    return height;
  }

  int width() {
    return width;
  }

  long count() {
    return total;
  }

  int windowCount() {
    return recent.size();
  }

  double[] recentMean() {
    return mean(recentSum, recent.size());
  }

  double[] sinceStartMean() {
    return mean(totalSum, total);
  }

  double drift() {
    return total == 0 ? 0 : JensenShannon.divergence(recentMean(), sinceStartMean());
  }

  List<Point> series() {
    return new ArrayList<>(series);
  }

  private static double[] mean(double[] sum, long n) {
    double[] out = new double[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = n == 0 ? 0 : Math.max(0, sum[i] / n);
    }
    return out;
  }
}
