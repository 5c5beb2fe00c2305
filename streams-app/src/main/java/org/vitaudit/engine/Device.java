package org.vitaudit.engine;

import java.util.List;
import java.util.Locale;

/**
 * Where inference runs: {@code cpu}, {@code cuda[:N]}, or {@code auto} (CUDA when it loads, else
 * CPU).
 */
public record Device(Kind kind, int index) {
  public enum Kind {
    CPU,
    CUDA,
    AUTO
  }

  public static final Device CPU = new Device(Kind.CPU, 0);

  /** The accepted forms, for messages and {@code config --list}. */
  public static final List<String> NAMES = List.of("cpu", "cuda", "cuda:N", "auto");

  public static Device parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("cpu")) {
      return CPU;
    }
    if (v.equals("auto")) {
      return new Device(Kind.AUTO, 0);
    }
    if (v.equals("cuda")) {
      return new Device(Kind.CUDA, 0);
    }
    if (v.startsWith("cuda:")) {
      try {
        int idx = Integer.parseInt(v.substring(5));
        if (idx >= 0) {
          return new Device(Kind.CUDA, idx);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "device must be one of " + String.join(", ", NAMES) + ", not '" + s + "'");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case CPU -> "cpu";
      case AUTO -> "auto";
      case CUDA -> "cuda:" + index;
    };
  }
}
