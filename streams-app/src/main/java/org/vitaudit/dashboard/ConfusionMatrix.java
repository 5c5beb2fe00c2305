package org.vitaudit.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of (true label, predicted label) over the labelled events since start, kept sparse (only
 * pairs seen) and capped at {@code maxCells} pairs: a thousand-class model fills a few cells, not a
 * million. Pairs beyond the cap count under {@link BoundedCounts#OTHER} on both sides.
 */
final class ConfusionMatrix {
  /** One cell. */
  record Cell(String trueLabel, String predictedLabel, long count) {}

  private final int maxCells;
  private final Map<List<String>, Long> cells = new LinkedHashMap<>();

  ConfusionMatrix(int maxCells) {
    this.maxCells = maxCells;
  }

  void add(String trueLabel, String predictedLabel) {
    List<String> key = List.of(trueLabel, predictedLabel);
    if (!cells.containsKey(key) && cells.size() >= maxCells) {
      key = List.of(BoundedCounts.OTHER, BoundedCounts.OTHER);
    }
    cells.merge(key, 1L, Long::sum);
  }

  /** The cells, by true label then predicted label. */
  List<Cell> cells() {
    List<Cell> out = new ArrayList<>();
    cells.forEach((k, n) -> out.add(new Cell(k.get(0), k.get(1), n)));
    out.sort(Comparator.comparing(Cell::trueLabel).thenComparing(Cell::predictedLabel));
    return out;
  }
}
