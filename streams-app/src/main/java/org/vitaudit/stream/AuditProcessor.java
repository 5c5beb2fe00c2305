package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
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
 * {@code batch.max.wait.ms} (a wall-clock punctuator); then G runs once on all of them. The wait
 * leaves out the time the processor spends working (decoding and storing the batch's events,
 * forwarding an earlier batch): a backlog fills whole batches however slow decoding is, while a
 * partial batch still runs {@code batch.max.wait.ms} after input stops coming.
 *
 * <p>With {@code batch.overlap} (the default) a full batch is audited on a worker thread while the
 * stream thread goes on reading, decoding and buffering the next one and committing, so Kafka's
 * work overlaps the model's; each stream thread has one worker, which runs its tasks' batches one
 * at a time. Either way the outcomes are forwarded from the stream thread, and a batch's events
 * leave the store only together with its outputs: a commit while a batch runs commits them as still
 * buffered, so a crash or a rebalance at any point loses and repeats nothing (the batch is audited
 * again from the store, and the outputs of the aborted transaction never show). Images that cannot
 * be decoded never enter the buffer; a model failure during a flush (which has no current input
 * record for the handler) is dead-lettered here, in the handlers' layout. Where the model no longer
 * runs at all ({@link ModelFailedException}), nothing is forwarded or dead-lettered: the exception
 * fails the task, and the event (or the whole batch, still in its store) is left for an instance
 * that works.
 */
public final class AuditProcessor<V> extends ContextualProcessor<byte[], V, byte[], Outcome> {
  public static final String STORE = "audit-batch-buffer";

  /** How often, at most, a batch the worker has finished waits to be collected. */
  static final long OVERLAP_POLL_MILLIS = 10;

  private final EventAuditor auditor;
  private final EventReader<V> reader;
  private final AuditMetrics metrics;
  private final int batchMax;
  private final long batchWaitMillis;
  private final Optional<BatchWorkers> overlap;
  private final LongSupplier nanoClock;
  private BatchBuffer buffer;
  private BatchRunner runner;

  /**
   * Each batch audited on the stream thread (as {@code batch.overlap=false} builds it).
   *
   * @param joinLabels whether audits without a label go on to the label join
   */
  public AuditProcessor(
      Auditor auditor,
      EventReader<V> reader,
      AuditMetrics metrics,
      int batchMax,
      long batchWaitMillis,
      boolean joinLabels) {
    this(
        auditor,
        reader,
        metrics,
        batchMax,
        batchWaitMillis,
        joinLabels,
        Optional.empty(),
        System::nanoTime);
  }

  /**
   * @param overlap with batching, where batches are audited on a worker thread while the stream
   *     thread goes on ({@code batch.overlap}): the instance's workers, one per stream thread;
   *     empty: on the stream thread
   * @param nanoClock what times the processor's own work on an event (decoding, storing), which
   *     does not count as the batch's wait; tests whose wall clock stands still pass one that does
   *     too
   */
  AuditProcessor(
      Auditor auditor,
      EventReader<V> reader,
      AuditMetrics metrics,
      int batchMax,
      long batchWaitMillis,
      boolean joinLabels,
      Optional<BatchWorkers> overlap,
      LongSupplier nanoClock) {
    this.auditor = new EventAuditor(auditor, metrics, joinLabels);
    this.reader = reader;
    this.metrics = metrics;
    this.batchMax = batchMax;
    this.batchWaitMillis = batchWaitMillis;
    this.overlap = batchMax > 1 ? overlap : Optional.empty();
    this.nanoClock = nanoClock;
  }

  @Override
  public void init(ProcessorContext<byte[], Outcome> context) {
    super.init(context);
    buffer = new BatchBuffer(context.getStateStore(STORE));
    runner =
        overlap
            .map(workers -> BatchRunner.overlapped(auditor::audit, workers.ofCurrentThread()))
            .orElseGet(() -> BatchRunner.inline(auditor::audit));
    if (batching()) {
      // Overlapped, it also collects a batch the worker has finished when no record comes.
      long every =
          overlap.isPresent()
              ? Math.min(batchWaitMillis / 2, OVERLAP_POLL_MILLIS)
              : batchWaitMillis / 2;
      context.schedule(
          Duration.ofMillis(Math.max(1, every)),
          PunctuationType.WALL_CLOCK_TIME,
          now -> flushIfDue(now));
    }
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.close(); // a batch still running is dropped: its events stay in the store
    }
  }

  private boolean batching() {
    return batchMax > 1;
  }

  @Override
  public void process(Record<byte[], V> record) {
    long arrived = System.nanoTime();
    long started = nanoClock.getAsLong();
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
    collect();
    if (buffer.size() >= batchMax) {
      flush();
    }
    // Kafka Streams' wall clock stands still over a run of records, so the processor's own work
    // (this event, and forwarding a batch that ended) is timed here, to leave it out of the wait.
    buffer.busy(nanoClock.getAsLong() - started);
  }

  /**
   * Punctuator: runs the batch once its oldest event has waited long enough, the processor's work
   * on the batch's events left out. Overlapped, while a batch of this task is still running or
   * queued, a due partial batch would only queue behind it: it goes on filling instead, and runs at
   * the first punctuation after that batch has ended, so it waits no longer and runs fuller.
   */
  void flushIfDue(long nowWallMillis) {
    collect();
    if (runner.pending() == 0 && buffer.due(nowWallMillis, batchWaitMillis)) {
      flush();
    }
  }

  /**
   * Hands every waiting event to the runner, G once for all, and forwards one outcome per event of
   * each batch that has ended: inline, this one; overlapped, those before it that have ended (this
   * one comes later, through {@link #collect}). A batch leaves the buffer's store only once its
   * outcomes are forwarded: where the model no longer runs ({@link ModelFailedException}), or a
   * crash or a rebalance comes first, its events stay there for the instance that takes the task
   * over.
   */
  void flush() {
    List<BatchBuffer.Entry> entries = buffer.take();
    if (entries.isEmpty()) {
      return;
    }
    runner.start(entries).ifPresent(this::forward);
    collect();
  }

  /** Forwards the outcomes of every batch the runner has finished, oldest first. */
  private void collect() {
    for (var done = runner.poll(); done.isPresent(); done = runner.poll()) {
      forward(done.get());
    }
  }

  private void forward(BatchRunner.Done done) {
    List<BatchBuffer.Entry> entries = done.entries();
    for (int i = 0; i < entries.size(); i++) {
      BufferedEvent stored = entries.get(i).stored();
      byte[] key = stored.getKey() == null ? null : BatchBuffer.bytes(stored.getKey());
      if (done.outcomes().get(i) instanceof Outcome.Recorded recorded) {
        forward(recorded, key, stored.getTimestamp());
      } else {
        forwardDlq(stored, key, (Outcome.DeadLetter) done.outcomes().get(i));
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
