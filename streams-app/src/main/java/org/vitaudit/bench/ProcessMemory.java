package org.vitaudit.bench;

import java.io.IOException;
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
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
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
