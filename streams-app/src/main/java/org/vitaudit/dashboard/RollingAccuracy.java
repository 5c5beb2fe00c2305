package org.vitaudit.dashboard;

/** Accuracy of the labelled events: over the last {@code window} of them and since start. */
final class RollingAccuracy {
  /** Correct and labelled counts, and their ratio (NaN with no labelled event). */
  record Accuracy(long correct, long labelled) {
    public double ratio() {
      return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }
  }

  private final DoubleRing recent;
  private long recentCorrect;
  private long correct;
  private long labelled;

  RollingAccuracy(int window) {
    recent = new DoubleRing(window);
  }

  void record(boolean isCorrect) {
    labelled++;
    correct += isCorrect ? 1 : 0;
    double evicted = recent.add(isCorrect ? 1 : 0);
    recentCorrect += (isCorrect ? 1 : 0) - (evicted == 1 ? 1 : 0);
  }

  Accuracy sinceStart() {
    return new Accuracy(correct, labelled);
  }

  Accuracy window() {
    return new Accuracy(recentCorrect, recent.size());
  }
}
