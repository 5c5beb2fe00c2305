package org.vitaudit.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitaudit.engine.StageClock;

/**
 * The mean time of each stage over many timed runs. Means, not medians: the stages' means add up to
 * the mean of the whole, which medians do not.
 */
public final class StageBreakdown {
  private final Map<String, Double> sums = new LinkedHashMap<>();
  private double totalSum;
  private int runs;

  /** Adds one run's laps. */
  public void add(StageClock clock) {
    clock.millis().forEach((k, v) -> sums.merge(k, v, Double::sum));
    totalSum += clock.totalMillis();
    runs++;
  }

  public int runs() {
    return runs;
  }

  /** Each stage's mean in milliseconds, in the order the stages first ended. */
  public Map<String, Double> meanMillis() {
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((k, v) -> out.put(k, runs == 0 ? Double.NaN : v / runs));
    return Collections.unmodifiableMap(out);
  }

  /** The mean of the whole runs in milliseconds: the sum of {@link #meanMillis()}. */
  public double meanTotalMillis() {
    return runs == 0 ? Double.NaN : totalSum / runs;
  }
}
