package org.vitaudit.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.engine.Explanation;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.AuditRecord;

/**
 * Audits events, the one way the stream and replay both do it: decode the image, explain it, build
 * the audit record (and what the label join needs), and where any step fails, the outcome is a dead
 * letter with the reason the failure names. Stage timings and sampled quality go to the metrics.
 * Thread-safe as its {@link Auditor} is.
 *
 * <p>Where the model fails on an event, the blank input it ran at start ({@link Auditor#probe()})
 * tells whose fault it is: if the probe still runs, the event is dead-lettered as {@code
 * model_error}; if the probe fails too, the model no longer runs at all and {@link
 * ModelFailedException} is thrown, with no outcome for any event of the batch, rather than
 * dead-letter every event from then on.
 */
public final class EventAuditor {
  /**
   * An event waiting for its audit.
   *
   * @param key the input record's key (the label join keeps it)
   * @param originalValue the input's value as it was on the topic (a dead letter carries it); null
   *     where the caller dead-letters failures itself
   * @param image the decoded image where the caller decoded it already
   * @param arrivedNanos when the event was first seen ({@link System#nanoTime}), for the total time
   */
  public record Pending(
      InputEvent event,
      byte[] key,
      byte[] originalValue,
      Optional<Auditor.Prepared> image,
      long arrivedNanos) {}

  private final Auditor auditor;
  private final AuditMetrics metrics;
  private final boolean joinLabels;

  /**
   * @param joinLabels whether events without a label wait for one in the label join
   */
  public EventAuditor(Auditor auditor, AuditMetrics metrics, boolean joinLabels) {
    this.auditor = auditor;
    this.metrics = metrics;
    this.joinLabels = joinLabels;
  }

  /** Outside the stream (replay): its metrics are nobody's, and no label join waits. */
  public static EventAuditor offline(Auditor auditor) {
    return new EventAuditor(auditor, new AuditMetrics(new SimpleMeterRegistry()), false);
  }

  /**
   * Decodes and preprocesses the event's image.
   *
   * @throws AuditFailure with the reason the image was rejected for
   */
  public Auditor.Prepared decode(InputEvent event) {
    try {
      Auditor.Prepared p = auditor.prepare(event.image());
      metrics.recordStage(AuditMetrics.Stage.DECODE, (long) (p.decodeMillis() * 1e6));
      return p;
    } catch (ImageRejectedException e) {
      throw new AuditFailure(DlqReason.of(e.reason()), e.getMessage(), e);
    }
  }

  /**
   * One event, start to end.
   *
   * @throws ModelFailedException where the model no longer runs at all
   */
  public Outcome audit(Pending event) {
    return audit(List.of(event)).get(0);
  }

  /**
   * A batch, one outcome per event in order: G runs once on all the images, and if that fails they
   * are explained one by one, so that one bad image cannot sink the others.
   *
   * @throws ModelFailedException where the model no longer runs at all
   */
  public List<Outcome> audit(List<Pending> batch) {
    Outcome[] outcomes = new Outcome[batch.size()];
    List<Integer> ready = new ArrayList<>();
    List<Auditor.Prepared> images = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      try {
        images.add(p.image().isPresent() ? p.image().get() : decode(p.event()));
        ready.add(i);
      } catch (RuntimeException f) {
        outcomes[i] = Outcome.DeadLetter.of(p.event().eventId(), f, p.originalValue());
      }
    }
    List<Explanation> explained = images.size() > 1 ? explainAll(images) : null;
    for (int j = 0; j < ready.size(); j++) {
      Pending p = batch.get(ready.get(j));
      try {
        Explanation e =
            explained != null ? explained.get(j) : explainOne(p.event().eventId(), images.get(j));
        outcomes[ready.get(j)] = recorded(p, images.get(j), e);
      } catch (ModelFailedException broken) {
        throw broken; // not this event's fault, nor any other's
      } catch (RuntimeException f) {
        outcomes[ready.get(j)] = Outcome.DeadLetter.of(p.event().eventId(), f, p.originalValue());
      }
    }
    return Arrays.asList(outcomes);
  }

  /** Every image's explanation, G once for all; null where the batch fails. */
  private List<Explanation> explainAll(List<Auditor.Prepared> images) {
    try {
      return auditor.explain(images);
    } catch (RuntimeException batchFailure) {
      return null; // the images are explained one by one, each failing alone
    }
  }

  /**
   * @throws AuditFailure {@code model_error} where the model fails on this image but still runs the
   *     probe
   * @throws ModelFailedException where it fails on the probe too
   */
  private Explanation explainOne(String eventId, Auditor.Prepared image) {
    try {
      return auditor.explain(List.of(image)).get(0);
    } catch (RuntimeException e) {
      Optional<RuntimeException> probe = auditor.probe();
      if (probe.isPresent()) {
        throw new ModelFailedException(eventId, e, probe.get());
      }
      throw new AuditFailure(DlqReason.MODEL_ERROR, "the model failed: " + e.getMessage(), e);
    }
  }

  /**
   * The audit record, and for the label join either the misprediction (the label came with the
   * image and says the prediction is wrong) or every class's map (no label yet).
   */
  private Outcome.Recorded recorded(Pending p, Auditor.Prepared image, Explanation e) {
    InputEvent event = p.event();
    var quality = auditor.sampleQuality(event.eventId(), image, e);
    double total = (System.nanoTime() - p.arrivedNanos()) / 1e6;
    AuditRecord audit =
        AuditRecords.of(
            event, e, auditor.facts(), auditor.request(), image.decodeMillis(), total, quality);
    Outcome.Recorded outcome = new Outcome.Audited(event.eventId(), audit);
    if (event.label().isPresent()) {
      var wrong = Mispredictions.judge(audit, e, event.label().get(), auditor.facts());
      if (wrong.isPresent()) {
        outcome = new Outcome.Mispredicted(event.eventId(), audit, wrong.get());
      }
    } else if (joinLabels) {
      outcome =
          new Outcome.NeedsLabel(
              event.eventId(), audit, Mispredictions.pending(p.key(), audit, e, auditor.facts()));
    }
    metrics.recordStage(AuditMetrics.Stage.G, (long) (e.gMillis() * 1e6));
    metrics.recordStage(AuditMetrics.Stage.H, (long) (e.hMillis() * 1e6));
    metrics.recordStage(AuditMetrics.Stage.TOTAL, (long) (total * 1e6));
    quality.ifPresent(metrics::recordQuality);
    return outcome;
  }
}
