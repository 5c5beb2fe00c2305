package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.DlqRecords;
import org.vitaudit.engine.Explanation;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.schemas.AuditRecord;

/**
 * Audits image events: each input yields exactly one audit record, or one dead-letter record.
 *
 * <p>With {@code batch.max.records} of 1 every event is explained as it comes, and a failure is
 * thrown so that the processing exception handler dead-letters the input. With larger batches,
 * decoded events wait in a changelogged store until the batch is full or the oldest has waited
 * {@code batch.max.wait.ms} (a wall-clock punctuator); then G runs once on all of them. A batch
 * runs on the stream thread and forwards from it, so nothing commits ahead of its output, and a
 * crash with a full buffer loses and repeats nothing. Images that cannot be decoded never enter
 * the buffer; a model failure during a flush (which has no current input record for the handler)
 * is dead-lettered here, in the handlers' layout.
 */
public final class AuditProcessor<V> extends ContextualProcessor<byte[], V, byte[], Outcome> {
  public static final String STORE = "audit-batch-buffer";

  private final Auditor auditor;
  private final EventReader<V> reader;
  private final AuditMetrics metrics;
  private final int batchMax;
  private final long batchWaitMillis;
  private final boolean joinLabels;
  private BatchBuffer buffer;

  /** @param joinLabels whether audits without a label go on to the label join */
  public AuditProcessor(Auditor auditor, EventReader<V> reader, AuditMetrics metrics, int batchMax,
      long batchWaitMillis, boolean joinLabels) {
    this.auditor = auditor;
    this.reader = reader;
    this.metrics = metrics;
    this.batchMax = batchMax;
    this.batchWaitMillis = batchWaitMillis;
    this.joinLabels = joinLabels;
  }

  @Override
  public void init(ProcessorContext<byte[], Outcome> context) {
    super.init(context);
    buffer = new BatchBuffer(context.getStateStore(STORE));
    if (batching()) {
      context.schedule(Duration.ofMillis(Math.max(1, batchWaitMillis / 2)), PunctuationType.WALL_CLOCK_TIME,
          now -> flushIfDue(now));
    }
  }

  private boolean batching() {
    return batchMax > 1;
  }

  @Override
  public void process(Record<byte[], V> record) {
    long arrived = System.nanoTime();
    metrics.recordIn();
    RecordMetadata where = context().recordMetadata().orElseThrow();
    InputEvent event = reader.read(record, where);
    Auditor.Prepared image = prepare(event);
    if (!batching()) {
      if (buffer.size() > 0) {
        flush(); // events left in the store by an earlier run that batched
      }
      Explanation e = explainOne(image);
      forwardAudit(record.key(), record.timestamp(), event, image, e, arrived);
      return;
    }
    buffer.add(event, record.key(), reader.originalValue(record.value()), record.headers(), record.timestamp(), image,
        arrived, context().currentSystemTimeMs());
    if (buffer.size() >= batchMax) {
      flush();
    }
  }

  /** Punctuator: runs the batch once its oldest event has waited long enough. */
  void flushIfDue(long nowWallMillis) {
    if (buffer.due(nowWallMillis, batchWaitMillis)) {
      flush();
    }
  }

  /** Explains every buffered event, G once for all, and forwards one record per event. */
  void flush() {
    List<BatchBuffer.Entry> entries = buffer.drain();
    if (entries.isEmpty()) {
      return;
    }
    List<Auditor.Prepared> images = new ArrayList<>();
    List<BatchBuffer.Entry> ready = new ArrayList<>();
    for (BatchBuffer.Entry entry : entries) {
      try {
        images.add(entry.image().isPresent() ? entry.image().get() : prepare(BatchBuffer.event(entry.stored())));
        ready.add(entry);
      } catch (AuditFailure f) {
        forwardDlq(entry, f);
      }
    }
    List<Explanation> explained;
    try {
      explained = images.isEmpty() ? List.of() : auditor.explain(images);
    } catch (RuntimeException batchFailure) {
      explained = null; // one bad image must not sink the batch: explain them one by one
    }
    for (int i = 0; i < ready.size(); i++) {
      BatchBuffer.Entry entry = ready.get(i);
      try {
        Explanation e = explained != null ? explained.get(i) : explainOne(images.get(i));
        forwardAudit(entry.stored().getKey() == null ? null : BatchBuffer.bytes(entry.stored().getKey()),
            entry.stored().getTimestamp(), BatchBuffer.event(entry.stored()), images.get(i), e, entry.arrivedNanos());
      } catch (AuditFailure f) {
        forwardDlq(entry, f);
      }
    }
  }

  private Auditor.Prepared prepare(InputEvent event) {
    try {
      Auditor.Prepared p = auditor.prepare(event.image());
      metrics.recordStage(AuditMetrics.Stage.DECODE, (long) (p.decodeMillis() * 1e6));
      return p;
    } catch (ImageRejectedException e) {
      throw new AuditFailure(DlqReason.of(e.reason()), e.getMessage(), e);
    }
  }

  private Explanation explainOne(Auditor.Prepared image) {
    try {
      return auditor.explain(List.of(image)).get(0);
    } catch (RuntimeException e) {
      throw new AuditFailure(DlqReason.MODEL_ERROR, "the model failed: " + e.getMessage(), e);
    }
  }

  /**
   * Forwards the audit record, and for the label join either the misprediction (the label came
   * with the image and says the prediction is wrong) or the event with every class's map (no label
   * yet). Everything is computed before the first forward, so a failure cannot leave half an output.
   */
  private void forwardAudit(byte[] key, long timestamp, InputEvent event, Auditor.Prepared image, Explanation e,
      long arrivedNanos) {
    var quality = auditor.sampleQuality(event.eventId(), image, e);
    double total = (System.nanoTime() - arrivedNanos) / 1e6;
    AuditRecord audit = AuditRecords.of(event, e, auditor.facts(), auditor.request(), image.decodeMillis(), total,
        quality);
    Optional<Outcome> join = Optional.empty();
    if (event.label().isPresent()) {
      join = Mispredictions.judge(audit, e, event.label().get(), auditor.facts()).map(Outcome.Mispredicted::new);
    } else if (joinLabels) {
      join = Optional.of(new Outcome.NeedsLabel(event.eventId(), Mispredictions.pending(key, audit, e, auditor.facts())));
    }
    metrics.recordStage(AuditMetrics.Stage.G, (long) (e.gMillis() * 1e6));
    metrics.recordStage(AuditMetrics.Stage.H, (long) (e.hMillis() * 1e6));
    metrics.recordStage(AuditMetrics.Stage.TOTAL, (long) (total * 1e6));
    quality.ifPresent(metrics::recordQuality);
    Headers headers = new RecordHeaders().add(EventReader.EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
    context().forward(new Record<>(key, new Outcome.Audited(audit), timestamp, headers));
    join.ifPresent(o -> context().forward(new Record<>(key, o, timestamp, headers)));
    metrics.recordOut();
  }

  private void forwardDlq(BatchBuffer.Entry entry, AuditFailure failure) {
    var stored = entry.stored();
    Headers headers = BatchBuffer.headers(stored);
    DlqRecords.addErrorHeaders(headers, failure, failure.dlqReason(), stored.getTopic(), stored.getPartition(),
        stored.getOffset());
    byte[] key = stored.getKey() == null ? null : BatchBuffer.bytes(stored.getKey());
    context().forward(new Record<>(key, new Outcome.DeadLetter(BatchBuffer.originalValue(stored)),
        stored.getTimestamp(), headers));
    metrics.recordDlq(failure.dlqReason().code());
  }

}
