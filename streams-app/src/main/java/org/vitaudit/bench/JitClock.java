package org.vitaudit.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How long the JVM's JIT compilers have worked so far. A benchmark whose code is still being
 * compiled measures the compilers beside it (on a small machine they take the cores the measured
 * threads need), so the stream benchmark warms up until they have gone quiet.
 */
final class JitClock {
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  private JitClock() {}

  /** The compilers' accumulated time in milliseconds, or -1 where this JVM does not tell it. */
  static long millis() {
    return JIT != null && JIT.isCompilationTimeMonitoringSupported()
        ? JIT.getTotalCompilationTime()
        : -1;
  }

  /** The compilers' time and the wall clock from now on, to take their share of it. */
  record Watch(long startMillis, long startNanos) {
    /** The share of the time since the watch started that the compilers worked; NaN if untold. */
    double share() {
      return JitClock.share(startMillis, millis(), System.nanoTime() - startNanos);
    }
  }

  static Watch watch() {
    return new Watch(millis(), System.nanoTime());
  }

  /**
   * The share of {@code wallNanos} the compilers worked, from two {@link #millis()} readings; NaN
   * where the JVM does not tell.
   */
  static double share(long startMillis, long endMillis, long wallNanos) {
    if (startMillis < 0 || endMillis < 0 || wallNanos <= 0) {
      return Double.NaN;
    }
    return (endMillis - startMillis) * 1e6 / wallNanos;
  }
}
