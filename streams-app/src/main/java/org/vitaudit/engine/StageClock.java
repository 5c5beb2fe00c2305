package org.vitaudit.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Times the consecutive stages of one run: each lap is the time since the previous lap (or since
 * the clock started), so the laps add up to the whole. {@link #OFF} times nothing, for the runs
 * that are not being broken down.
 */
public final class StageClock {
  /** A clock that records nothing and reads no time. */
  public static final StageClock OFF = new StageClock(null);

  private final LongSupplier nanos;
  private final Map<String, Long> laps = new LinkedHashMap<>();
  private final long start;
  private long last;

  private StageClock(LongSupplier nanos) {
    this.nanos = nanos;
    this.start = nanos == null ? 0 : nanos.getAsLong();
    this.last = start;
  }

  /** A clock started now on {@link System#nanoTime}. */
  public static StageClock started() {
    return started(System::nanoTime);
  }

  /** A clock started now on {@code nanos}. */
  public static StageClock started(LongSupplier nanos) {
    return new StageClock(nanos);
  }

  /** Ends the stage {@code name} now; a stage lapped twice adds up. */
  public void lap(String name) {
    if (nanos == null) {
      return;
    }
    long now = nanos.getAsLong();
    laps.merge(name, now - last, Long::sum);
    last = now;
  }

  /** Each stage's time in milliseconds, in the order the stages first ended. */
  public Map<String, Double> millis() {
    Map<String, Double> out = new LinkedHashMap<>();
    laps.forEach((k, v) -> out.put(k, v / 1e6));
    return Collections.unmodifiableMap(out);
  }

  /** From the start to the last lap, in milliseconds. */
  public double totalMillis() {
    return (last - start) / 1e6;
  }
}
