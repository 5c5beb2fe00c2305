package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.vitaudit.dlq.DlqRecords;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.BufferedEvent;

/**
 * Audits image events: each input yields exactly one audit record, or one dead-letter record.
 *
 * <p>With {@code batch.max.records} of 1 every event is explained as it comes, and a failure is
 * thrown so that the processing exception handler dead-letters the input. With larger batches,
 * decoded events wait in a changelogged store until the batch is full or the oldest has waited
 * {@code batch.max.wait.ms} (a wall-clock punctuator); then G runs once on all of them. A batch
 * runs on the stream thread and forwards from it, so nothing commits ahead of its output, and a
 * crash with a full buffer loses and repeats nothing. Images that cannot be decoded never enter the
 * buffer; a model failure during a flush (which has no current input record for the handler) is
 * dead-lettered here, in the handlers' layout. Where the model no longer runs at all ({@link
 * ModelFailedException}), nothing is forwarded or dead-lettered: the exception fails the task, and
 * the event (or the whole batch, still in its store) is left for an instance that works.
 */
public final class AuditProcessor<V> extends ContextualProcessor<byte[], V, byte[], Outcome> {
  public static final String STORE = "audit-batch-buffer";

  private final EventAuditor auditor;
  private final EventReader<V> reader;
  private final AuditMetrics metrics;
  private final int batchMax;
  private final long batchWaitMillis;
  private BatchBuffer buffer;

  /**
   * @param joinLabels whether audits without a label go on to the label join
   */
  public AuditProcessor(
      Auditor auditor,
      EventReader<V> reader,
      AuditMetrics metrics,
      int batchMax,
      long batchWaitMillis,
      boolean joinLabels) {
    this.auditor = new EventAuditor(auditor, metrics, joinLabels);
    this.reader = reader;
    this.metrics = metrics;
    this.batchMax = batchMax;
    this.batchWaitMillis = batchWaitMillis;
  }

  @Override
  public void init(ProcessorContext<byte[], Outcome> context) {
    super.init(context);
    buffer = new BatchBuffer(context.getStateStore(STORE));
    if (batching()) {
      context.schedule(
          Duration.ofMillis(Math.max(1, batchWaitMillis / 2)),
          PunctuationType.WALL_CLOCK_TIME,
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
    Auditor.Prepared image = auditor.decode(event);
    if (!batching()) {
      if (buffer.size() > 0) {
        flush(); // events left in the store by an earlier run that batched
      }
      Outcome outcome =
          auditor.audit(
              new EventAuditor.Pending(event, record.key(), null, Optional.of(image), arrived));
      if (outcome instanceof Outcome.DeadLetter dead) {
        throw dead
            .error(); // the handler dead-letters the input with its bytes as they were on the topic
      }
      forward((Outcome.Recorded) outcome, record.key(), record.timestamp());
      return;
    }
    buffer.add(
        event,
        record.key(),
        reader.originalValue(record.value()),
        record.headers(),
        record.timestamp(),
        image,
        arrived,
        context().currentSystemTimeMs());
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

  /**
   * Audits every buffered event, G once for all, forwards one outcome per event, and only then
   * empties the buffer: where the model no longer runs ({@link ModelFailedException}), the events
   * stay buffered for the instance that takes the task over.
   */
  void flush() {
    List<BatchBuffer.Entry> entries = buffer.entries();
    if (entries.isEmpty()) {
      return;
    }
    List<Outcome> outcomes =
        auditor.audit(entries.stream().map(BatchBuffer.Entry::pending).toList());
    for (int i = 0; i < entries.size(); i++) {
      BufferedEvent stored = entries.get(i).stored();
      byte[] key = stored.getKey() == null ? null : BatchBuffer.bytes(stored.getKey());
      if (outcomes.get(i) instanceof Outcome.Recorded recorded) {
        forward(recorded, key, stored.getTimestamp());
      } else {
        forwardDlq(stored, key, (Outcome.DeadLetter) outcomes.get(i));
      }
    }
    buffer.remove(entries);
  }

  /** The audit record to the audit topic, then what the label join needs, if anything. */
  private void forward(Outcome.Recorded outcome, byte[] key, long timestamp) {
    Headers headers =
        new RecordHeaders()
            .add(EventReader.EVENT_ID_HEADER, outcome.eventId().getBytes(StandardCharsets.UTF_8));
    context()
        .forward(
            new Record<>(
                key, new Outcome.Audited(outcome.eventId(), outcome.record()), timestamp, headers));
    if (!(outcome instanceof Outcome.Audited)) {
      context().forward(new Record<>(key, outcome, timestamp, headers));
    }
    metrics.recordOut();
  }

  /**
   * A failure inside a batch: no handler sees it (no current input record), so it is dead-lettered
   * here.
   */
  private void forwardDlq(BufferedEvent stored, byte[] key, Outcome.DeadLetter dead) {
    Headers headers = BatchBuffer.headers(stored);
    DlqRecords.addErrorHeaders(
        headers,
        dead.error(),
        dead.reason(),
        stored.getTopic(),
        stored.getPartition(),
        stored.getOffset());
    context().forward(new Record<>(key, dead, stored.getTimestamp(), headers));
    metrics.recordDlq(dead.reason().code());
  }
}
