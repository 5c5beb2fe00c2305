package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitaudit.dlq.DlqHeaders;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.BufferedEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;

/** The micro-batch flush logic, with punctuators fired by hand on a MockProcessorContext. */
class AuditProcessorBatchTest {
  private SaliencyEngine engine;
  private KeyValueStore<Long, BufferedEvent> store;
  private MockProcessorContext<byte[], Outcome> context;

  @BeforeEach
  void setUp() {
    engine = StreamTestSupport.engine();
    context = new MockProcessorContext<>();
    store = storeIn(context);
  }

  /** A fresh in-memory buffer store, registered with {@code ctx}. */
  static KeyValueStore<Long, BufferedEvent> storeIn(MockProcessorContext<byte[], Outcome> ctx) {
    KeyValueStore<Long, BufferedEvent> s =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AuditProcessor.STORE),
                Serdes.Long(),
                AvroSingleObjectSerde.forClass(BufferedEvent.class))
            .withLoggingDisabled()
            .build();
    ctx.setCurrentSystemTimeMs(0);
    s.init(ctx.getStateStoreContext(), s);
    ctx.addStateStore(s);
    return s;
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  /**
   * Batches audited on the stream thread, and the processor's own work timed on a clock that stands
   * still like the context's wall clock: decoding takes no time here, so the wait is the wall
   * clock's alone.
   */
  private AuditProcessor<byte[]> processor(int batch, long waitMs) {
    return StreamTestSupport.rawProcessor(
        engine, context, batch, waitMs, true, Optional.empty(), () -> 0L);
  }

  private void send(AuditProcessor<byte[]> p, long offset, byte[] value) {
    context.setRecordMetadata("images", 0, offset);
    RecordHeaders h = new RecordHeaders();
    h.add("event-id", ("e" + offset).getBytes(StandardCharsets.UTF_8));
    p.process(
        new Record<>(("k" + offset).getBytes(StandardCharsets.UTF_8), value, 1000 + offset, h));
  }

  private List<String> auditedIds() {
    return auditedIds(context);
  }

  private static List<String> auditedIds(MockProcessorContext<byte[], Outcome> context) {
    return context.forwarded().stream()
        .filter(f -> f.record().value() instanceof Outcome.Audited)
        .map(f -> ((Outcome.Audited) f.record().value()).record().getEventId())
        .toList();
  }

  private void punctuate(long wallMillis) {
    context.setCurrentSystemTimeMs(wallMillis);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(wallMillis);
  }

  @Test
  void waitsUntilTheOldestEventHasWaitedMaxWait() {
    context.setCurrentSystemTimeMs(10_000);
    AuditProcessor<byte[]> p = processor(4, 200);
    assertThat(context.scheduledPunctuators()).hasSize(1);
    send(p, 0, StreamTestSupport.png(1));
    context.setCurrentSystemTimeMs(10_150);
    send(p, 1, StreamTestSupport.png(2));
    punctuate(10_199);
    assertThat(auditedIds()).isEmpty();
    punctuate(10_200);
    assertThat(auditedIds()).containsExactly("e0", "e1");
    // Each keeps its own key and timestamp; the store is empty again.
    var first =
        context.forwarded().stream()
            .filter(f -> f.record().value() instanceof Outcome.Audited)
            .findFirst()
            .orElseThrow()
            .record();
    assertThat(new String((byte[]) first.key(), StandardCharsets.UTF_8)).isEqualTo("k0");
    assertThat(first.timestamp()).isEqualTo(1000);
    assertThat(store.approximateNumEntries()).isZero();
    punctuate(20_000);
    assertThat(auditedIds()).hasSize(2);
  }

  @Test
  void aFullBatchRunsAtOnceWithoutThePunctuator() {
    AuditProcessor<byte[]> p = processor(3, 60_000);
    send(p, 0, StreamTestSupport.png(1));
    send(p, 1, StreamTestSupport.png(2));
    assertThat(auditedIds()).isEmpty();
    send(p, 2, StreamTestSupport.png(3));
    assertThat(auditedIds()).containsExactly("e0", "e1", "e2");
  }

  @Test
  void aBufferRestoredAfterACrashIsFlushedAtTheFirstPunctuation() {
    AuditProcessor<byte[]> before = processor(10, 60_000);
    send(before, 5, StreamTestSupport.png(1));
    send(before, 6, StreamTestSupport.png(2));
    assertThat(auditedIds()).isEmpty();
    // A restart: a new processor with its own context and its own store, restored (as Kafka Streams
    // restores it from the changelog) from the bytes the first store held; the decoded images are
    // gone.
    var serde = AvroSingleObjectSerde.forClass(BufferedEvent.class);
    List<KeyValue<Long, byte[]>> persisted = new ArrayList<>();
    try (KeyValueIterator<Long, BufferedEvent> it = store.all()) {
      it.forEachRemaining(
          kv ->
              persisted.add(
                  KeyValue.pair(kv.key, serde.serializer().serialize("changelog", kv.value))));
    }
    assertThat(persisted).hasSize(2);
    MockProcessorContext<byte[], Outcome> fresh = new MockProcessorContext<>();
    KeyValueStore<Long, BufferedEvent> restored = storeIn(fresh);
    persisted.forEach(
        kv -> restored.put(kv.key, serde.deserializer().deserialize("changelog", kv.value)));
    StreamTestSupport.rawProcessor(
        engine, fresh, 10, 60_000, true, Optional.empty(), System::nanoTime);
    assertThat(fresh.scheduledPunctuators()).hasSize(1);
    fresh.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
    assertThat(auditedIds(fresh)).containsExactly("e5", "e6");
    AuditRecord a = ((Outcome.Audited) fresh.forwarded().get(0).record().value()).record();
    assertThat(a.getInput().getOffset()).isEqualTo(5);
    assertThat(restored.approximateNumEntries()).isZero();
    // The first instance, gone, flushed nothing.
    assertThat(auditedIds()).isEmpty();
  }

  /**
   * A real ONNX Runtime failure on one event of a batch (the faulty fixture refuses an all-white
   * image): that event is dead-lettered here, in the handlers' layout, with its original bytes, and
   * the other is audited.
   */
  @Test
  void aModelErrorDuringAFlushDeadLettersThatEventWithItsOriginalBytes() {
    try (SaliencyEngine faulty = StreamTestSupport.faultyEngine()) {
      AuditProcessor<byte[]> p =
          new AuditProcessor<>(
              StreamTestSupport.auditor(StreamTestSupport.FAULTY, faulty, 1),
              new RawEventReader(),
              new AuditMetrics(new SimpleMeterRegistry()),
              2,
              60_000,
              false);
      p.init(context);
      byte[] white = StreamTestSupport.white();
      send(p, 0, white);
      send(p, 1, StreamTestSupport.png(2));
      var dead =
          context.forwarded().stream()
              .filter(f -> f.record().value() instanceof Outcome.DeadLetter)
              .map(f -> f.record())
              .toList();
      assertThat(dead).hasSize(1);
      assertThat(auditedIds()).containsExactly("e1");
      assertThat(((Outcome.DeadLetter) dead.get(0).value()).originalValue()).isEqualTo(white);
      assertThat(header(dead.get(0), DlqHeaders.REASON)).isEqualTo("model_error");
      assertThat(header(dead.get(0), "event-id")).isEqualTo("e0");
      assertThat(header(dead.get(0), DlqHeaders.OFFSET)).isEqualTo("0");
      assertThat(store.approximateNumEntries()).isZero();
    }
  }

  /**
   * A model that no longer runs (closed: every run fails, the blank probe too) fails the flush: no
   * event is forwarded or dead-lettered, and the batch stays in its store for the instance that
   * takes the task over.
   */
  @Test
  void aModelThatNoLongerRunsFailsTheFlushAndLeavesTheBatchBuffered() {
    AuditProcessor<byte[]> p = processor(2, 60_000);
    send(p, 0, StreamTestSupport.png(1));
    engine.close(); // the model is gone when the batch runs
    assertThatThrownBy(() -> send(p, 1, StreamTestSupport.png(2)))
        .isInstanceOf(ModelFailedException.class);
    assertThat(context.forwarded()).isEmpty();
    assertThat(store.approximateNumEntries()).isEqualTo(2);
  }

  private static String header(Record<?, ?> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
