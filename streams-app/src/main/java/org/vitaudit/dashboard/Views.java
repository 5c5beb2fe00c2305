package org.vitaudit.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API (docs/dashboard.md): immutable snapshots, taken under the state's
 * lock.
 */
public final class Views {
  private Views() {}

  /** The model and method of the latest audit record; null fields until one came. */
  public record ModelHeader(
      String name,
      String sha256Prefix,
      Integer gridHeight,
      Integer gridWidth,
      String variant,
      Boolean keepPrefixTokens,
      String score,
      String cutNode,
      String residual,
      String executionProvider) {
    static final ModelHeader NONE =
        new ModelHeader(null, null, null, null, null, null, null, null, null, null);
  }

  /** The header's live numbers and the totals since start. */
  public record Summary(
      ModelHeader model,
      double eventsPerSecond,
      double dlqPerSecond,
      Double p50Ms,
      Double p95Ms,
      long audited,
      long deadLetters,
      long mispredictionRecords,
      long labelled,
      long correct,
      Double accuracyWindow,
      Double accuracySinceStart,
      int feedSize,
      long startedMillis) {}

  /** An accuracy over a count of labelled events; {@code accuracy} null when there is none. */
  public record AccuracyView(long correct, long labelled, Double accuracy) {
    static AccuracyView of(RollingAccuracy.Accuracy a) {
      return new AccuracyView(a.correct(), a.labelled(), a.labelled() == 0 ? null : a.ratio());
    }
  }

  public record Aggregates(
      AccuracyView accuracyWindow,
      AccuracyView accuracySinceStart,
      List<ConfusionMatrix.Cell> confusion,
      Map<String, Long> countsPerClass,
      Map<String, Long> deadLettersByReason,
      List<LatencyHistogram.Bucket> latencyHistogram,
      List<QualityPoint> quality) {}

  /**
   * Where the model looks for one class: the two mean maps (row-major, each summing to 1), the
   * drift score between them and its series.
   */
  public record ClassDriftView(
      int classIndex,
      String label,
      int height,
      int width,
      long maps,
      int windowMaps,
      double drift,
      double[] recentMean,
      double[] sinceStartMean,
      List<ClassDrift.Point> series) {}
}
