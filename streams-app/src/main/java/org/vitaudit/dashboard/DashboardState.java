package org.vitaudit.dashboard;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.Prediction;
import org.vitaudit.schemas.QualityMetrics;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.schemas.SaliencyMethod;

/**
 * Everything the dashboard shows, fed one record at a time, with memory bounded by {@link
 * DashboardSettings} whatever the traffic. No Kafka here: the reader feeds it, tests feed it
 * directly. Thread-safe: one reader thread writes, HTTP threads read snapshots.
 *
 * <p>Accuracy and the confusion matrix count the audit records that carry {@code correct} (the
 * label came with the image); a label that arrives later shows only as a record on the
 * mispredictions topic when it proves the prediction wrong, so counting those would bias accuracy
 * down. They mark the event in the feed and count as {@code mispredictionRecords}.
 */
public final class DashboardState {
  private final DashboardSettings settings;
  private final LongSupplier clock;
  private final long startedMillis;
  private final EventFeed feed;
  private final RateMeter auditRate;
  private final RateMeter dlqRate;
  private final DoubleRing latencies;
  private final LatencyHistogram histogram = new LatencyHistogram();
  private final RollingAccuracy accuracy;
  private final ConfusionMatrix confusion;
  private final BoundedCounts perClass;
  private final BoundedCounts byReason;
  private final ArrayDeque<QualityPoint> quality = new ArrayDeque<>();
  private final Map<Integer, ClassDrift> drift = new LinkedHashMap<>();
  private final Map<Integer, String> labels = new LinkedHashMap<>();
  private final List<Consumer<FeedEvent>> listeners = new CopyOnWriteArrayList<>();
  private Views.ModelHeader model = Views.ModelHeader.NONE;
  private long audited;
  private long deadLetters;
  private long mispredictionRecords;

  public DashboardState(DashboardSettings settings, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
    this.startedMillis = clock.getAsLong();
    this.feed = new EventFeed(settings.feedSize());
    this.auditRate = new RateMeter(settings.rateWindowSeconds());
    this.dlqRate = new RateMeter(settings.rateWindowSeconds());
    this.latencies = new DoubleRing(settings.window());
    this.accuracy = new RollingAccuracy(settings.window());
    this.confusion = new ConfusionMatrix(settings.maxConfusionCells());
    this.perClass = new BoundedCounts(settings.maxClasses());
    // Reasons are a fixed set of codes; the cap only guards against odd headers.
    this.byReason = new BoundedCounts(64);
  }

  /** Called with each new or updated feed event, on the thread that fed the record. */
  public void onEvent(Consumer<FeedEvent> listener) {
    listeners.add(listener);
  }

  /** One record of the audit topic, with its Kafka timestamp. */
  public void acceptAudit(AuditRecord a, long timeMillis) {
    FeedEvent changed;
    synchronized (this) {
      audited++;
      auditRate.record(timeMillis);
      model = header(a);
      double ms = a.getTimings().getTotalMs();
      latencies.add(ms);
      histogram.record(ms);
      Prediction top = a.getPredictions().isEmpty() ? null : a.getPredictions().get(0);
      if (top != null) {
        labels.putIfAbsent(top.getClassIndex(), top.getLabel());
        perClass.add(top.getLabel());
        if (a.getCorrect() != null) {
          accuracy.record(a.getCorrect());
          confusion.add(
              a.getCorrect() ? top.getLabel() : String.valueOf(a.getKnownLabel()), top.getLabel());
        }
        mapOf(a, top.getClassIndex()).ifPresent(m -> addDrift(top.getClassIndex(), m, timeMillis));
      }
      QualityMetrics q = a.getQuality();
      if (q != null) {
        quality.addLast(
            new QualityPoint(
                timeMillis,
                a.getEventId(),
                q.getDrop(),
                q.getIncrease(),
                q.getCoherency(),
                q.getComplexity()));
        if (quality.size() > settings.qualityPoints()) {
          quality.removeFirst();
        }
      }
      FeedEntry e =
          feed.byEventId(a.getEventId())
              .filter(x -> x.deadLetter() == null)
              .map(x -> x.withAudit(a))
              .orElseGet(() -> new FeedEntry(feed.nextSeq(), timeMillis, a, null, null));
      feed.put(e);
      changed = FeedEvent.of(e);
    }
    tell(changed);
  }

  /** One record of the mispredictions topic. */
  public void acceptMisprediction(Misprediction m, long timeMillis) {
    FeedEvent changed;
    synchronized (this) {
      mispredictionRecords++;
      labels.putIfAbsent(m.getTrueClassIndex(), m.getTrueLabel());
      FeedEntry e =
          feed.byEventId(m.getAudit().getEventId())
              .filter(x -> x.deadLetter() == null)
              .map(x -> x.withMisprediction(m))
              .orElseGet(() -> new FeedEntry(feed.nextSeq(), timeMillis, m.getAudit(), m, null));
      feed.put(e);
      changed = FeedEvent.of(e);
    }
    tell(changed);
  }

  /** One record of the dead-letter topic. */
  public void acceptDeadLetter(DeadLetter d) {
    FeedEvent changed;
    synchronized (this) {
      deadLetters++;
      dlqRate.record(d.timeMillis());
      byReason.add(d.reason());
      FeedEntry e = new FeedEntry(feed.nextSeq(), d.timeMillis(), null, null, d);
      feed.put(e);
      changed = FeedEvent.of(e);
    }
    tell(changed);
  }

  private void tell(FeedEvent e) {
    listeners.forEach(l -> l.accept(e));
  }

  private void addDrift(int classIndex, SaliencyMap m, long timeMillis) {
    byte[] values = bytes(m.getValues());
    if (values.length != m.getHeight() * m.getWidth()) {
      return; // a malformed map says nothing about where the model looks
    }
    ClassDrift d = drift.get(classIndex);
    if (d == null || !d.fits(m.getHeight(), m.getWidth())) {
      if (d == null && drift.size() >= settings.maxClasses()) {
        return;
      }
      // A new grid means another model: its maps do not compare with the old ones.
      d =
          new ClassDrift(
              m.getHeight(),
              m.getWidth(),
              settings.driftWindow(),
              settings.driftPoints(),
              settings.driftIntervalMs());
      drift.put(classIndex, d);
    }
    d.add(values, timeMillis);
  }

  static Optional<SaliencyMap> mapOf(AuditRecord a, int classIndex) {
    return a.getMaps().stream().filter(m -> m.getClassIndex() == classIndex).findFirst();
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  private static Views.ModelHeader header(AuditRecord a) {
    SaliencyMethod m = a.getMethod();
    SaliencyMap first = a.getMaps().isEmpty() ? null : a.getMaps().get(0);
    String sha = a.getModel().getSha256();
    return new Views.ModelHeader(
        a.getModel().getName(),
        sha.substring(0, Math.min(12, sha.length())),
        first == null ? null : first.getHeight(),
        first == null ? null : first.getWidth(),
        m.getVariant().toString(),
        m.getKeepPrefixTokens(),
        m.getScore().toString(),
        m.getCutNode(),
        m.getResidual(),
        a.getExecutionProvider());
  }

  public synchronized Views.Summary summary() {
    long now = clock.getAsLong();
    RollingAccuracy.Accuracy all = accuracy.sinceStart();
    RollingAccuracy.Accuracy recent = accuracy.window();
    return new Views.Summary(
        model,
        auditRate.perSecond(now),
        dlqRate.perSecond(now),
        nan(latencies.percentile(0.5)),
        nan(latencies.percentile(0.95)),
        audited,
        deadLetters,
        mispredictionRecords,
        all.labelled(),
        all.correct(),
        Views.AccuracyView.of(recent).accuracy(),
        Views.AccuracyView.of(all).accuracy(),
        feed.size(),
        startedMillis);
  }

  /**
   * The feed, newest first, filtered (see {@link FeedEvent#matches}), at most {@code limit} events.
   */
  public synchronized List<FeedEvent> events(
      String label, boolean wrongOnly, String reason, int limit) {
    List<FeedEvent> out = new ArrayList<>();
    for (FeedEntry e : feed.newestFirst()) {
      FeedEvent f = FeedEvent.of(e);
      if (f.matches(label, wrongOnly, reason)) {
        out.add(f);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  /** The stored records of an event still in the feed. */
  public synchronized Optional<FeedEntry> entry(long seq) {
    return feed.bySeq(seq);
  }

  public synchronized Views.Aggregates aggregates() {
    return new Views.Aggregates(
        Views.AccuracyView.of(accuracy.window()),
        Views.AccuracyView.of(accuracy.sinceStart()),
        confusion.cells(),
        perClass.snapshot(),
        byReason.snapshot(),
        histogram.buckets(),
        List.copyOf(quality));
  }

  /** Per class seen as a top prediction, by class index. */
  public synchronized List<Views.ClassDriftView> drift() {
    List<Views.ClassDriftView> out = new ArrayList<>();
    drift.forEach(
        (c, d) ->
            out.add(
                new Views.ClassDriftView(
                    c,
                    labels.getOrDefault(c, String.valueOf(c)),
                    d.height(),
                    d.width(),
                    d.count(),
                    d.windowCount(),
                    d.drift(),
                    d.recentMean(),
                    d.sinceStartMean(),
                    d.series())));
    out.sort((x, y) -> Integer.compare(x.classIndex(), y.classIndex()));
    return out;
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
