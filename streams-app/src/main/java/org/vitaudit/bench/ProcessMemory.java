package org.vitaudit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory, which includes ONNX Runtime's native buffers the heap does
 * not show.
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * Peak resident set size in MiB (Linux {@code VmHWM}), or the JVM heap in use where /proc is
   * absent.
   */
  public static double peakMiB() {
    return status("VmHWM:");
  }

  /**
   * Resident set size now in MiB (Linux {@code VmRSS}), or the JVM heap in use where /proc is
   * absent.
   */
  public static double residentMiB() {
    return status("VmRSS:");
  }

  /** The heap in use after a full collection, in MiB: what the live objects hold. */
  public static double heapAfterGcMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  /** The heap the JVM holds from the system now, used or not, in MiB. */
  public static double committedHeapMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()
        / (1024.0 * 1024.0);
  }

  private static double status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall back below
    }
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / (1024.0 * 1024.0);
  }
}
