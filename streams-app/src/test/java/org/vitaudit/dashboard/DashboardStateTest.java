package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every number of the state against the same number computed plainly from the list of what was fed,
 * in this test: nothing of the code under test is reused to compute an expected value.
 */
class DashboardStateTest {
  private static final long T0 = 1_700_000_000_000L;

  /** What the test fed, kept whole so it can be recomputed plainly. */
  private record Fed(
      String id, int predicted, String known, double latency, byte[] map, long time) {}

  private final AtomicLong now = new AtomicLong(T0);
  private final DashboardSettings settings = new DashboardSettings(50, 40, 10, 20, 30, 0, 100, 25);
  private final DashboardState state = new DashboardState(settings, now::get);
  private final List<Fed> fed = new ArrayList<>();

  private void feed(int n, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      int predicted = r.nextInt(4);
      String known = r.nextInt(3) == 0 ? null : DashboardRecords.LABELS[r.nextInt(4)];
      double latency = Math.round(r.nextDouble() * 300 * 100) / 100.0;
      byte[] map = new byte[9];
      r.nextBytes(map);
      long time = T0 + i * 250L;
      Fed f = new Fed("e" + fed.size(), predicted, known, latency, map, time);
      fed.add(f);
      state.acceptAudit(
          DashboardRecords.audit(f.id, predicted, known, latency, map, i % 7 == 0), time);
    }
  }

  @Test
  void percentilesAreNearestRankOverTheLastWindowOfLatencies() {
    feed(137, 1);
    double[] last =
        fed.subList(fed.size() - 40, fed.size()).stream()
            .mapToDouble(Fed::latency)
            .sorted()
            .toArray();
    // nearest rank: the ceil(q * n)-th smallest
    assertThat(state.summary().p50Ms()).isEqualTo(last[20 - 1]);
    assertThat(state.summary().p95Ms()).isEqualTo(last[38 - 1]);
  }

  @Test
  void accuracyCountsLabelledEventsInTheWindowAndSinceStart() {
    feed(200, 2);
    long labelled = fed.stream().filter(f -> f.known != null).count();
    long correct =
        fed.stream()
            .filter(f -> f.known != null && f.known.equals(DashboardRecords.LABELS[f.predicted]))
            .count();
    List<Fed> labelledOnes = fed.stream().filter(f -> f.known != null).toList();
    List<Fed> window = labelledOnes.subList(labelledOnes.size() - 40, labelledOnes.size());
    long windowCorrect =
        window.stream().filter(f -> f.known.equals(DashboardRecords.LABELS[f.predicted])).count();

    Views.Aggregates a = state.aggregates();
    assertThat(a.accuracySinceStart().labelled()).isEqualTo(labelled);
    assertThat(a.accuracySinceStart().correct()).isEqualTo(correct);
    assertThat(a.accuracySinceStart().accuracy())
        .isCloseTo((double) correct / labelled, within(1e-12));
    assertThat(a.accuracyWindow().labelled()).isEqualTo(40);
    assertThat(a.accuracyWindow().accuracy()).isCloseTo(windowCorrect / 40.0, within(1e-12));
    assertThat(state.summary().accuracyWindow()).isCloseTo(windowCorrect / 40.0, within(1e-12));
  }

  @Test
  void confusionMatrixAndPerClassCountsMatchAPlainTally() {
    feed(150, 3);
    Map<String, Long> cells = new HashMap<>();
    Map<String, Long> perClass = new HashMap<>();
    for (Fed f : fed) {
      String predicted = DashboardRecords.LABELS[f.predicted];
      perClass.merge(predicted, 1L, Long::sum);
      if (f.known != null) {
        cells.merge(f.known + "->" + predicted, 1L, Long::sum);
      }
    }
    Map<String, Long> got = new HashMap<>();
    state
        .aggregates()
        .confusion()
        .forEach(c -> got.put(c.trueLabel() + "->" + c.predictedLabel(), c.count()));
    assertThat(got).isEqualTo(cells);
    assertThat(state.aggregates().countsPerClass()).isEqualTo(perClass);
  }

  @Test
  void latencyHistogramPutsEachLatencyInTheFirstPowerOfTwoAtOrAboveIt() {
    feed(120, 4);
    long[] expected = new long[18];
    for (Fed f : fed) {
      int bucket = 0;
      while (bucket < 17 && f.latency > (1L << bucket)) {
        bucket++;
      }
      expected[bucket]++;
    }
    long[] got =
        state.aggregates().latencyHistogram().stream()
            .mapToLong(LatencyHistogram.Bucket::count)
            .toArray();
    assertThat(got).containsExactly(expected);
    assertThat(state.aggregates().latencyHistogram().get(17).upperMs()).isNull();
  }

  @Test
  void ratesCountRecordsOfTheLastTenSecondsByTheirTimestamps() {
    feed(100, 5); // one every 250 ms over 25 s
    now.set(T0 + 99 * 250L);
    long nowSecond = Math.floorDiv(now.get(), 1000);
    long inWindow =
        fed.stream()
            .filter(
                f -> {
                  long s = Math.floorDiv(f.time, 1000);
                  return s > nowSecond - 10 && s <= nowSecond;
                })
            .count();
    assertThat(state.summary().eventsPerSecond()).isEqualTo(inWindow / 10.0);

    for (int i = 0; i < 13; i++) {
      state.acceptDeadLetter(
          DashboardRecords.deadLetter(
              "d" + i, i % 3 == 0 ? "corrupt_image" : "empty_image", now.get() - i * 1000L));
    }
    // dead letters 0..9 s old are in (now - 10 s, now]
    assertThat(state.summary().dlqPerSecond()).isEqualTo(10 / 10.0);
    assertThat(state.aggregates().deadLettersByReason())
        .isEqualTo(Map.of("corrupt_image", 5L, "empty_image", 8L));
    assertThat(state.summary().deadLetters()).isEqualTo(13);

    now.addAndGet(60_000);
    assertThat(state.summary().eventsPerSecond()).isZero();
  }

  @Test
  void theFeedKeepsTheLastNEventsNewestFirstAndFilters() {
    feed(80, 6);
    List<FeedEvent> events = state.events(null, false, null, 1000);
    assertThat(events).hasSize(50);
    assertThat(events.get(0).eventId()).isEqualTo("e79");
    assertThat(events.get(49).eventId()).isEqualTo("e30");

    List<String> wrong =
        fed.subList(30, 80).stream()
            .filter(f -> f.known != null && !f.known.equals(DashboardRecords.LABELS[f.predicted]))
            .map(Fed::id)
            .toList();
    List<String> gotWrong =
        new ArrayList<>(
            state.events(null, true, null, 1000).stream().map(FeedEvent::eventId).toList());
    Collections.reverse(gotWrong);
    assertThat(gotWrong).isEqualTo(wrong);
    assertThat(state.events("two", false, null, 1000))
        .allSatisfy(
            e ->
                assertThat(List.of(e.predictedLabel(), String.valueOf(e.trueLabel())))
                    .contains("two"));
    assertThat(state.events(null, false, null, 5)).hasSize(5);
  }

  @Test
  void aLateMispredictionMarksItsEventWithoutCountingAsLabelled() {
    var a = DashboardRecords.audit("late", 1, null, 5, new byte[9], false);
    state.acceptAudit(a, T0);
    state.acceptMisprediction(DashboardRecords.misprediction(a, 3), T0 + 5);
    List<FeedEvent> events = state.events(null, true, null, 10);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.eventId()).isEqualTo("late");
              assertThat(e.correct()).isFalse();
              assertThat(e.trueLabel()).isEqualTo("three");
              assertThat(e.mapClasses()).containsExactly(1, 3);
            });
    assertThat(state.summary().mispredictionRecords()).isEqualTo(1);
    assertThat(state.summary().labelled()).isZero();
    assertThat(state.summary().audited()).isEqualTo(1);
  }

  @Test
  void qualitySeriesKeepsTheLastSampledMeasurements() {
    feed(300, 7);
    List<String> sampled = new ArrayList<>();
    for (int i = 0; i < fed.size(); i++) {
      if (i % 7 == 0) {
        sampled.add(fed.get(i).id);
      }
    }
    assertThat(state.aggregates().quality().stream().map(QualityPoint::eventId).toList())
        .isEqualTo(sampled.subList(sampled.size() - 25, sampled.size()));
  }

  @Test
  void driftIsTheJensenShannonDivergenceOfTheRecentAndTheSinceStartMeanMaps() {
    feed(170, 8);
    for (int c = 0; c < 4; c++) {
      final int cls = c;
      List<Fed> ofClass = fed.stream().filter(f -> f.predicted == cls).toList();
      double[] all = plainMean(ofClass);
      double[] recent =
          plainMean(ofClass.subList(Math.max(0, ofClass.size() - 20), ofClass.size()));
      Views.ClassDriftView view =
          state.drift().stream().filter(d -> d.classIndex() == cls).findFirst().orElseThrow();
      assertThat(view.maps()).isEqualTo(ofClass.size());
      assertThat(view.sinceStartMean()).containsExactly(all, within(1e-9));
      assertThat(view.recentMean()).containsExactly(recent, within(1e-9));
      assertThat(view.drift()).isCloseTo(plainJsd(recent, all), within(1e-9));
      // one point per map (interval 0), the last 30 kept, the newest equal to the score now
      assertThat(view.series()).hasSize(Math.min(30, ofClass.size()));
      assertThat(view.series().get(view.series().size() - 1).drift()).isEqualTo(view.drift());
    }
  }

  @Test
  void driftSeriesKeepsOnePointPerInterval() {
    DashboardState s =
        new DashboardState(new DashboardSettings(10, 10, 10, 5, 100, 1000, 10, 10), now::get);
    for (int i = 0; i < 25; i++) {
      byte[] map = new byte[9];
      map[i % 9] = (byte) 200;
      s.acceptAudit(DashboardRecords.audit("x" + i, 2, null, 1, map, false), T0 + i * 300L);
    }
    // times 0..7200 ms: intervals start at 0, 1200, 2400, 3600, 4800, 6000, 7200 (first map after
    // the last start + 1 s)
    assertThat(s.drift().get(0).series().stream().map(ClassDrift.Point::timeMillis).toList())
        .containsExactly(T0, T0 + 1200, T0 + 2400, T0 + 3600, T0 + 4800, T0 + 6000, T0 + 7200);
  }

  @Test
  void jensenShannonIsZeroForTheSameMapAndOneForDisjointOnes() {
    assertThat(JensenShannon.divergence(new double[] {0.5, 0.5, 0}, new double[] {0.5, 0.5, 0}))
        .isZero();
    assertThat(JensenShannon.divergence(new double[] {1, 0}, new double[] {0, 1})).isEqualTo(1.0);
    assertThat(JensenShannon.normalised(new byte[4])).containsExactly(0.25, 0.25, 0.25, 0.25);
  }

  /** The mean of the maps, each first divided by its own sum (uniform when all zero). */
  private static double[] plainMean(List<Fed> maps) {
    double[] mean = new double[9];
    for (Fed f : maps) {
      int total = 0;
      for (byte b : f.map) {
        total += Byte.toUnsignedInt(b);
      }
      for (int i = 0; i < 9; i++) {
        mean[i] +=
            (total == 0 ? 1.0 / 9 : Byte.toUnsignedInt(f.map[i]) / (double) total) / maps.size();
      }
    }
    return mean;
  }

  /** H((p + q) / 2) - (H(p) + H(q)) / 2, in bits: the entropy form of the same divergence. */
  private static double plainJsd(double[] p, double[] q) {
    double[] m = new double[p.length];
    Arrays.setAll(m, i -> (p[i] + q[i]) / 2);
    return entropy(m) - (entropy(p) + entropy(q)) / 2;
  }

  private static double entropy(double[] p) {
    double h = 0;
    for (double x : p) {
      h -= x > 0 ? x * Math.log(x) / Math.log(2) : 0;
    }
    return h;
  }
}
