package org.vitaudit.stream;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;
import org.vitaudit.config.AppConfig;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.BufferedEvent;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.schemas.UnlabelledAudit;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * The application's topology, built from configuration alone (plus the model it runs), so tests
 * drive exactly what production runs.
 *
 * <pre>
 *   input.topic ─► audit ─┬─► audit.topic            AuditRecord (exactly one per input, or a DLQ record)
 *                 (store) ├─► dlq.topic              failures inside a micro-batch flush
 *                         ├─► mispredictions.topic   wrong, with the label that came with the image
 *                         └─► by event id ─► label join ─► mispredictions.topic
 *   labels.topic ─────────────────────────────► label join (stores: audits, labels, judged)
 *   records that cannot be read or processed: the exception handlers ─► dlq.topic
 * </pre>
 */
public final class AuditTopology {
  static final String AUDIT = "audit";

  private AuditTopology() {}

  public static Topology build(AppConfig config, Auditor auditor, AuditMetrics metrics) {
    StreamsBuilder b = new StreamsBuilder();
    // Persistent even when batching is off: a persistent store keeps the instance's process id
    // across restarts, so after a crash it fences its dead producer at once. Cached: an event put
    // and deleted within one commit interval reaches RocksDB and the changelog only as its
    // deletion, not its image (a batch still running at a commit is written whole).
    b.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AuditProcessor.STORE),
                Serdes.Long(),
                AvroSingleObjectSerde.forClass(BufferedEvent.class))
            .withCachingEnabled());
    KStream<byte[], Outcome> outcomes = audited(b, config, auditor, metrics);
    Map<String, KStream<byte[], Outcome>> kinds =
        outcomes
            .split(Named.as("outcome-"))
            .branch((k, v) -> v instanceof Outcome.Audited, Branched.as("audited"))
            .branch((k, v) -> v instanceof Outcome.DeadLetter, Branched.as("dead"))
            .branch((k, v) -> v instanceof Outcome.Mispredicted, Branched.as("wrong"))
            .branch((k, v) -> v instanceof Outcome.NeedsLabel, Branched.as("unlabelled"))
            .noDefaultBranch();
    Serde<Misprediction> mispredictions = AvroSingleObjectSerde.forClass(Misprediction.class);
    String mispredictionTopic = config.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG);
    kinds
        .get("outcome-audited")
        .mapValues(o -> ((Outcome.Audited) o).record())
        .to(
            config.getString(AppConfig.AUDIT_TOPIC_CONFIG),
            Produced.with(Serdes.ByteArray(), AuditSerdes.configured(config)));
    kinds
        .get("outcome-dead")
        .mapValues(o -> ((Outcome.DeadLetter) o).originalValue())
        .to(
            config.getString(AppConfig.DLQ_TOPIC_CONFIG),
            Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    kinds
        .get("outcome-wrong")
        .mapValues(o -> ((Outcome.Mispredicted) o).misprediction())
        .to(mispredictionTopic, Produced.with(Serdes.ByteArray(), mispredictions));

    if (!config.getBoolean(AppConfig.LABEL_JOIN_ENABLED_CONFIG)) {
      return b.build(); // the processor emits no unlabelled audits then
    }
    // The label join: audits keyed by event id, co-partitioned with the labels topic.
    long retention = config.getLong(AppConfig.LABEL_JOIN_RETENTION_MS_CONFIG);
    LabelJoin.stores().forEach(b::addStateStore);
    String[] joinStores = {LabelJoin.PENDING_AUDITS, LabelJoin.PENDING_LABELS, LabelJoin.JUDGED};
    kinds
        .get("outcome-unlabelled")
        .map(
            (k, o) ->
                KeyValue.pair(
                    ((Outcome.NeedsLabel) o).eventId(), ((Outcome.NeedsLabel) o).pending()),
            Named.as("by-event-id"))
        .repartition(
            Repartitioned.with(
                    Serdes.String(), AvroSingleObjectSerde.forClass(UnlabelledAudit.class))
                .withName("audits-by-event-id"))
        .process(
            () -> new LabelJoin.AuditSide(auditor.facts(), retention),
            Named.as("label-join-audits"),
            joinStores)
        .to(mispredictionTopic, Produced.with(Serdes.ByteArray(), mispredictions));
    b.stream(
            config.getString(AppConfig.LABELS_TOPIC_CONFIG),
            Consumed.with(Serdes.String(), Serdes.String()))
        .process(
            () -> new LabelJoin.LabelSide(auditor.facts(), retention),
            Named.as("label-join-labels"),
            joinStores)
        .to(mispredictionTopic, Produced.with(Serdes.ByteArray(), mispredictions));
    return b.build();
  }

  /** The input in its configured format, through the audit processor. */
  private static KStream<byte[], Outcome> audited(
      StreamsBuilder b, AppConfig config, Auditor auditor, AuditMetrics metrics) {
    return audited(b, config, EventReaders.configured(config), auditor, metrics);
  }

  private static <V> KStream<byte[], Outcome> audited(
      StreamsBuilder b,
      AppConfig config,
      EventReader<V> reader,
      Auditor auditor,
      AuditMetrics metrics) {
    int batchMax = config.getInt(AppConfig.BATCH_MAX_RECORDS_CONFIG);
    long batchWait = config.getLong(AppConfig.BATCH_MAX_WAIT_MS_CONFIG);
    boolean joinLabels = config.getBoolean(AppConfig.LABEL_JOIN_ENABLED_CONFIG);
    // One worker per stream thread, shared by its tasks: as many model runs at once as stream
    // threads, however many partitions the instance owns.
    Optional<BatchWorkers> overlap =
        config.getBoolean(AppConfig.BATCH_OVERLAP_CONFIG)
            ? Optional.of(new BatchWorkers())
            : Optional.empty();
    ProcessorSupplier<byte[], V, byte[], Outcome> audit =
        () ->
            new AuditProcessor<>(
                auditor,
                reader,
                metrics,
                batchMax,
                batchWait,
                joinLabels,
                overlap,
                System::nanoTime);
    return b.stream(
            config.getString(AppConfig.INPUT_TOPIC_CONFIG),
            Consumed.with(Serdes.ByteArray(), reader.serde()))
        .process(audit, Named.as(AUDIT), AuditProcessor.STORE);
  }
}
