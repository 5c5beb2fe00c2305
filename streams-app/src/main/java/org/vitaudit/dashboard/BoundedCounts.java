package org.vitaudit.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts per name (class label, dead-letter reason) with at most {@code maxKeys} names: once full,
 * new names count under {@value #OTHER}, so a producer sending random labels cannot grow it.
 */
final class BoundedCounts {
  static final String OTHER = "(other)";
  private final int maxKeys;
  private final Map<String, Long> counts = new LinkedHashMap<>();

  BoundedCounts(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  void add(String key) {
    String k = counts.containsKey(key) || counts.size() < maxKeys ? key : OTHER;
    counts.merge(k, 1L, Long::sum);
  }

  Map<String, Long> snapshot() {
    return Map.copyOf(counts);
  }
}
