package org.vitaudit.dashboard;

/**
 * The sizes that bound the dashboard's memory whatever the traffic.
 *
 * @param feedSize events kept for the live feed and their detail
 * @param window labelled events (accuracy) and latencies (p50, p95) of the rolling window
 * @param rateWindowSeconds seconds that events/s and DLQ/s average over
 * @param driftWindow maps per class in the recent mean of the drift view
 * @param driftPoints points kept per class in the drift series
 * @param driftIntervalMs at most one drift point per class per this many milliseconds
 * @param maxClasses classes tracked by the per-class counts and the drift view
 * @param qualityPoints sampled quality measurements kept for the series
 */
public record DashboardSettings(
    int feedSize,
    int window,
    int rateWindowSeconds,
    int driftWindow,
    int driftPoints,
    long driftIntervalMs,
    int maxClasses,
    int qualityPoints) {

  public static final DashboardSettings DEFAULTS =
      new DashboardSettings(500, 500, 10, 50, 300, 1000, 1000, 500);

  public DashboardSettings {
    if (feedSize < 1
        || window < 1
        || rateWindowSeconds < 1
        || driftWindow < 1
        || driftPoints < 1
        || driftIntervalMs < 0
        || maxClasses < 1
        || qualityPoints < 1) {
      throw new IllegalArgumentException("dashboard sizes must be positive: " + this);
    }
  }

  public DashboardSettings withFeedSize(int n) {
    return new DashboardSettings(
        n,
        window,
        rateWindowSeconds,
        driftWindow,
        driftPoints,
        driftIntervalMs,
        maxClasses,
        qualityPoints);
  }

  /**
   * Confusion-matrix cells: every pair of tracked classes would be too many for large label sets.
   */
  int maxConfusionCells() {
    return Math.min(maxClasses * maxClasses, 10 * maxClasses);
  }
}
