package org.vitaudit.dashboard;

import java.util.Arrays;

/**
 * Events per second over the last {@code windowSeconds} whole seconds before now, from the records'
 * own timestamps: a replay of old records does not count as traffic now. One counter per second in
 * a fixed ring, so memory does not grow with traffic.
 */
final class RateMeter {
  private final int windowSeconds;
  private final long[] counts;
  private final long[] seconds;

  RateMeter(int windowSeconds) {
    if (windowSeconds < 1) {
      throw new IllegalArgumentException(
          "the window must be at least one second, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
    this.counts = new long[windowSeconds];
    this.seconds = new long[windowSeconds];
    Arrays.fill(seconds, Long.MIN_VALUE);
  }

  void record(long timestampMillis) {
    long second = Math.floorDiv(timestampMillis, 1000);
    int slot = (int) Math.floorMod(second, windowSeconds);
    if (seconds[slot] != second) {
      if (seconds[slot] > second) {
        return; // older than what the slot holds: outside every window that matters now
      }
      seconds[slot] = second;
      counts[slot] = 0;
    }
    counts[slot]++;
  }

  /** Records in the seconds (now - window, now], divided by the window. */
  double perSecond(long nowMillis) {
    long now = Math.floorDiv(nowMillis, 1000);
    long sum = 0;
    for (int i = 0; i < windowSeconds; i++) {
      if (seconds[i] > now - windowSeconds && seconds[i] <= now) {
        sum += counts[i];
      }
    }
    return (double) sum / windowSeconds;
  }
}
