package org.vitaudit.stream;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;
import org.vitaudit.config.AppConfig;
import org.vitaudit.http.AuditMetrics;
import org.vitaudit.schemas.BufferedEvent;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * The application's topology, built from configuration alone (plus the model it runs), so tests
 * drive exactly what production runs.
 *
 * <pre>
 *   input.topic ──► audit ──► audit.topic   (AuditRecord, input key kept)
 *                     │  └──► dlq.topic     (failures inside a micro-batch flush)
 *                     └─ store audit-batch-buffer (changelogged micro-batch)
 *   undecodable and failed records: the exception handlers ──► dlq.topic
 * </pre>
 */
public final class AuditTopology {
  public static final String SOURCE = "images-source";
  public static final String AUDIT = "audit";

  private AuditTopology() {}

  public static Topology build(AppConfig config, Auditor auditor, AuditMetrics metrics) {
    Topology t = new Topology();
    boolean avro = config.getString(AppConfig.INPUT_FORMAT_CONFIG).equals(AppConfig.INPUT_FORMAT_AVRO);
    int batchMax = config.getInt(AppConfig.BATCH_MAX_RECORDS_CONFIG);
    long batchWait = config.getLong(AppConfig.BATCH_MAX_WAIT_MS_CONFIG);
    String input = config.getString(AppConfig.INPUT_TOPIC_CONFIG);
    if (avro) {
      AvroSingleObjectSerde<ImageEvent> events = AvroSingleObjectSerde.forClass(ImageEvent.class);
      UriFetcher fetcher = new UriFetcher(Duration.ofMillis(config.getInt(AppConfig.URI_FETCH_TIMEOUT_MS_CONFIG)),
          config.getList(AppConfig.URI_FILE_ALLOWED_DIRS_CONFIG).stream().map(Path::of).toList(),
          config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG));
      t.addSource(SOURCE, new ByteArrayDeserializer(), events.deserializer(), input);
      AvroEventReader reader = new AvroEventReader(fetcher, events.serializer());
      ProcessorSupplier<byte[], ImageEvent, byte[], Object> audit =
          () -> new AuditProcessor<>(auditor, reader, metrics, batchMax, batchWait);
      t.addProcessor(AUDIT, audit, SOURCE);
    } else {
      t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
      RawEventReader reader = new RawEventReader();
      ProcessorSupplier<byte[], byte[], byte[], Object> audit =
          () -> new AuditProcessor<>(auditor, reader, metrics, batchMax, batchWait);
      t.addProcessor(AUDIT, audit, SOURCE);
    }
    // Persistent even when batching is off: a persistent store keeps the instance's process id
    // across restarts, so after a crash it fences its dead producer at once.
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AuditProcessor.STORE), Serdes.Long(),
        AvroSingleObjectSerde.forClass(BufferedEvent.class)), AUDIT);
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.kafka.common.serialization.Serializer<Object> auditSerializer =
        (org.apache.kafka.common.serialization.Serializer) AuditSerdes.forFormat(
            config.getString(AppConfig.AUDIT_FORMAT_CONFIG)).serializer();
    t.addSink(AuditProcessor.AUDIT_SINK, config.getString(AppConfig.AUDIT_TOPIC_CONFIG), new ByteArraySerializer(),
        auditSerializer, AUDIT);
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.kafka.common.serialization.Serializer<Object> bytes = (org.apache.kafka.common.serialization.Serializer)
        new ByteArraySerializer();
    t.addSink(AuditProcessor.DLQ_SINK, config.getString(AppConfig.DLQ_TOPIC_CONFIG), new ByteArraySerializer(), bytes,
        AUDIT);
    return t;
  }
}
