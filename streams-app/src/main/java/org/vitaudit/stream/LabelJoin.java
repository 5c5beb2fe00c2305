package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.UnlabelledAudit;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * Joins audited events with labels that arrive later on the labels topic, in either order, within
 * {@code label.join.retention.ms}; publishes a misprediction where the label shows the prediction
 * wrong. Both sides are keyed by event id and share three changelogged stores: audits waiting for a
 * label, labels waiting for an audit, and events already judged (so a repeated label publishes
 * nothing twice). Entries older than the retention expire on a wall-clock punctuator.
 */
public final class LabelJoin {
  public static final String PENDING_AUDITS = "label-join-audits";
  public static final String PENDING_LABELS = "label-join-labels";
  public static final String JUDGED = "label-join-judged";

  private LabelJoin() {}

  public static List<StoreBuilder<?>> stores() {
    return List.of(
        Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStore(PENDING_AUDITS),
            Serdes.String(),
            AvroSingleObjectSerde.forClass(UnlabelledAudit.class)),
        Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStore(PENDING_LABELS),
            Serdes.String(),
            Serdes.String()),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(JUDGED), Serdes.String(), Serdes.Long()));
  }

  /** What both sides share: the stores, the model's classes, and how to judge and expire. */
  private abstract static class Side<V>
      extends ContextualProcessor<String, V, byte[], Misprediction> {
    final ModelFacts facts;
    final long retentionMillis;
    TimestampedKeyValueStore<String, UnlabelledAudit> audits;
    TimestampedKeyValueStore<String, String> labels;
    KeyValueStore<String, Long> judged;

    Side(ModelFacts facts, long retentionMillis) {
      this.facts = facts;
      this.retentionMillis = retentionMillis;
    }

    @Override
    public void init(ProcessorContext<byte[], Misprediction> context) {
      super.init(context);
      audits = context.getStateStore(PENDING_AUDITS);
      labels = context.getStateStore(PENDING_LABELS);
      judged = context.getStateStore(JUDGED);
    }

    long now() {
      return context().currentSystemTimeMs();
    }

    boolean alreadyJudged(String eventId) {
      return judged.get(eventId) != null;
    }

    void judge(String eventId, UnlabelledAudit audit, String label) {
      judged.put(eventId, now());
      Mispredictions.judge(audit, label, facts)
          .ifPresent(
              m -> {
                byte[] key = audit.getKey() == null ? null : BatchBuffer.bytes(audit.getKey());
                var headers =
                    new RecordHeaders()
                        .add(EventReader.EVENT_ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8));
                context().forward(new Record<>(key, m, now(), headers));
              });
    }

    /** Drops what has waited longer than the retention, on both sides and in the judged set. */
    void expire(long nowMillis) {
      long oldest = nowMillis - retentionMillis;
      expire(audits, oldest);
      expire(labels, oldest);
      List<String> gone = new ArrayList<>();
      try (KeyValueIterator<String, Long> it = judged.all()) {
        while (it.hasNext()) {
          KeyValue<String, Long> kv = it.next();
          if (kv.value < oldest) {
            gone.add(kv.key);
          }
        }
      }
      gone.forEach(judged::delete);
    }

    private static <T> void expire(TimestampedKeyValueStore<String, T> store, long oldest) {
      List<String> gone = new ArrayList<>();
      try (KeyValueIterator<String, ValueAndTimestamp<T>> it = store.all()) {
        while (it.hasNext()) {
          KeyValue<String, ValueAndTimestamp<T>> kv = it.next();
          if (kv.value.timestamp() < oldest) {
            gone.add(kv.key);
          }
        }
      }
      gone.forEach(store::delete);
    }
  }

  /** An audited event without a label: judged now if its label is waiting, else it waits. */
  public static final class AuditSide extends Side<UnlabelledAudit> {
    public AuditSide(ModelFacts facts, long retentionMillis) {
      super(facts, retentionMillis);
    }

    @Override
    public void init(ProcessorContext<byte[], Misprediction> context) {
      super.init(context);
      long every = Math.max(1000, Math.min(60_000, retentionMillis / 10));
      context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, UnlabelledAudit> record) {
      String id = record.key();
      if (alreadyJudged(id)) {
        return;
      }
      ValueAndTimestamp<String> label = labels.get(id);
      if (label != null) {
        labels.delete(id);
        judge(id, record.value(), label.value());
      } else {
        audits.put(id, ValueAndTimestamp.make(record.value(), now()));
      }
    }
  }

  /**
   * A label (key: event id; value: a class label or number): judged now if its audit is waiting.
   */
  public static final class LabelSide extends Side<String> {
    public LabelSide(ModelFacts facts, long retentionMillis) {
      super(facts, retentionMillis);
    }

    @Override
    public void process(Record<String, String> record) {
      String id = record.key();
      String label = record.value() == null ? null : record.value().strip();
      if (id == null || id.isBlank() || label == null || label.isEmpty()) {
        throw new AuditFailure(
            DlqReason.UNKNOWN_LABEL,
            "a label record needs the event id as key and a class as value");
      }
      if (AuditRecords.classOf(facts, label).isEmpty()) {
        throw new AuditFailure(
            DlqReason.UNKNOWN_LABEL,
            "label '"
                + label
                + "' for event "
                + id
                + " names no class of model "
                + facts.name()
                + " (expected one of its labels or 0.."
                + (facts.classes() - 1)
                + ")");
      }
      if (alreadyJudged(id)) {
        return; // a repeated label: the event was judged once already
      }
      ValueAndTimestamp<UnlabelledAudit> audit = audits.get(id);
      if (audit != null) {
        audits.delete(id);
        judge(id, audit.value(), label);
      } else {
        labels.put(id, ValueAndTimestamp.make(label, now()));
      }
    }
  }
}
