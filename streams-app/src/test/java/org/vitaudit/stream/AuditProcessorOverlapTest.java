package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.schemas.BufferedEvent;

/**
 * Micro-batches audited on a worker thread (batch.overlap) while the stream thread goes on: the
 * outputs still come from the stream thread, each event leaves the store only with its outcome, a
 * model that no longer runs fails the stream thread with the batch still stored, and a closed task
 * leaves its batch for the next one. Also: the wait of a partial batch leaves out the processor's
 * own work.
 */
class AuditProcessorOverlapTest {
  private SaliencyEngine engine;
  private MockProcessorContext<byte[], Outcome> context;
  private KeyValueStore<Long, BufferedEvent> store;
  private final BatchWorkers workers = new BatchWorkers();

  @BeforeEach
  void setUp() {
    engine = StreamTestSupport.engine();
    context = new MockProcessorContext<>();
    store = AuditProcessorBatchTest.storeIn(context);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private AuditProcessor<byte[]> processor(
      int batch, long waitMs, boolean overlap, LongSupplier clock) {
    return StreamTestSupport.rawProcessor(
        engine,
        context,
        batch,
        waitMs,
        false,
        overlap ? Optional.of(workers) : Optional.empty(),
        clock);
  }

  private void send(AuditProcessor<byte[]> p, long offset) {
    context.setRecordMetadata("images", 0, offset);
    RecordHeaders h = new RecordHeaders();
    h.add("event-id", ("e" + offset).getBytes(StandardCharsets.UTF_8));
    p.process(
        new Record<>(
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            StreamTestSupport.png(offset + 1),
            1000 + offset,
            h));
  }

  private List<String> auditedIds() {
    return context.forwarded().stream()
        .filter(f -> f.record().value() instanceof Outcome.Audited)
        .map(f -> ((Outcome.Audited) f.record().value()).record().getEventId())
        .toList();
  }

  /** The punctuator of the processor made last. */
  private void punctuate() {
    var all = context.scheduledPunctuators();
    all.get(all.size() - 1).getPunctuator().punctuate(context.currentSystemTimeMs());
  }

  /** Punctuates, as the stream thread does, until {@code count} events are audited. */
  private void punctuateUntilAudited(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (auditedIds().size() < count) {
      assertThat(System.nanoTime()).as("audited so far: %s", auditedIds()).isLessThan(deadline);
      Thread.sleep(5);
      punctuate();
    }
  }

  @Test
  void fullBatchesRunOffTheStreamThreadAndEachEventLeavesTheStoreWithItsOutcome() throws Exception {
    AuditProcessor<byte[]> p = processor(2, 60_000, true, System::nanoTime);
    for (long offset = 0; offset < 6; offset++) {
      send(p, offset);
      // Whatever the worker has done meanwhile, no event is both gone from the store and without
      // its outcome: the worker never touches the store, the stream thread removes a batch only as
      // it forwards it.
      assertThat(auditedIds().size() + store.approximateNumEntries()).isEqualTo(offset + 1);
    }
    punctuateUntilAudited(6);
    assertThat(auditedIds()).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
    assertThat(store.approximateNumEntries()).isZero();
    p.close();
  }

  @Test
  void aModelThatNoLongerRunsFailsTheStreamThreadAndLeavesTheBatchStored() throws Exception {
    AuditProcessor<byte[]> p = processor(2, 60_000, true, System::nanoTime);
    send(p, 0);
    engine.close(); // the model is gone when the batch runs
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // The failure comes back on the stream thread: from this send where the worker is that quick,
    // else from a later punctuation.
    assertThatThrownBy(
            () -> {
              send(p, 1);
              while (System.nanoTime() < deadline) {
                Thread.sleep(5);
                punctuate();
              }
            })
        .isInstanceOf(ModelFailedException.class);
    assertThat(context.forwarded()).isEmpty();
    assertThat(store.approximateNumEntries()).isEqualTo(2);
    p.close();
  }

  @Test
  void aTaskClosedWhileItsBatchRunsLeavesTheBatchToTheNextOne() throws Exception {
    AuditProcessor<byte[]> first = processor(2, 60_000, true, System::nanoTime);
    send(first, 0);
    send(first, 1); // handed to the worker
    first.close(); // waits for it, forwards nothing
    assertThat(context.forwarded()).isEmpty();
    assertThat(store.approximateNumEntries()).isEqualTo(2);
    // The next processor on the same store (as after a rebalance) audits them, once.
    AuditProcessor<byte[]> next = processor(2, 60_000, true, System::nanoTime);
    punctuateUntilAudited(2);
    assertThat(auditedIds()).containsExactly("e0", "e1");
    assertThat(store.approximateNumEntries()).isZero();
    next.close();
  }

  @Test
  void thePartialBatchWaitLeavesOutTheProcessorsOwnWork() {
    // The processor reads its clock as it starts and as it ends an event; this clock moves 150 ms
    // at every read, so each event costs 150 ms of work, while the context's wall clock stands
    // still as Kafka Streams' does over a run of records.
    AtomicLong reads = new AtomicLong();
    AuditProcessor<byte[]> p =
        processor(10, 200, false, () -> reads.getAndIncrement() * 150_000_000L);
    context.setCurrentSystemTimeMs(10_000);
    for (long offset = 0; offset < 3; offset++) {
      send(p, offset);
    }
    assertThat(reads.get()).isEqualTo(6);
    // 3 x 150 ms of work: at 10_300 the batch has waited 300 - 450 < 200 ms.
    p.flushIfDue(10_300);
    assertThat(auditedIds()).isEmpty();
    p.flushIfDue(10_649);
    assertThat(auditedIds()).isEmpty();
    // At 10_650 it has waited 650 - 450 = 200 ms of wall clock without work: due.
    p.flushIfDue(10_650);
    assertThat(auditedIds()).containsExactly("e0", "e1", "e2");
    p.close();
  }

  @Test
  void aDuePartialBatchGoesOnFillingWhileTheTasksBatchRunsAndRunsOnceItEnds() throws Exception {
    AuditProcessor<byte[]> p = processor(2, 100, true, System::nanoTime);
    BatchWorker worker = workers.ofCurrentThread();
    CountDownLatch gate = new CountDownLatch(1);
    worker.submit(() -> gate.await(30, TimeUnit.SECONDS)); // keeps the worker busy
    context.setCurrentSystemTimeMs(10_000);
    send(p, 0);
    send(p, 1); // a full batch, queued behind the held job
    send(p, 2); // the next batch, partial
    p.flushIfDue(20_000); // long past its wait
    assertThat(worker.unfinished()).as("the partial batch stayed in the buffer").isEqualTo(2);
    gate.countDown();
    context.setCurrentSystemTimeMs(20_000);
    punctuateUntilAudited(3);
    assertThat(auditedIds()).containsExactly("e0", "e1", "e2");
    assertThat(store.approximateNumEntries()).isZero();
    p.close();
  }
}
