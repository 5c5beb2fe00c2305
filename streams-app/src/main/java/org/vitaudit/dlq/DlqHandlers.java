package org.vitaudit.dlq;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.vitaudit.metrics.AuditMetrics;

/**
 * Installs the DLQ handlers in Kafka Streams properties: every record that cannot be deserialized
 * or processed goes to the dead-letter topic, once, in the same transaction as the offset commit.
 */
public final class DlqHandlers {

  /**
   * Properties key under which an {@link AuditMetrics} instance (an object, not a string) lets the
   * handlers count DLQ records by reason. Kafka Streams hands handlers its original properties.
   */
  public static final String METRICS_CONFIG = "vitaudit.dlq.metrics";

  private DlqHandlers() {}

  /**
   * Sets both exception handlers; the DLQ topic comes from {@code
   * errors.dead.letter.queue.topic.name}, which {@code AppConfig.streamsProperties()} sets.
   *
   * @param metrics may be null
   */
  public static Properties install(Properties streamsProperties, AuditMetrics metrics) {
    streamsProperties.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqDeserializationExceptionHandler.class);
    streamsProperties.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqProcessingExceptionHandler.class);
    if (metrics != null) {
      streamsProperties.put(METRICS_CONFIG, metrics);
    }
    return streamsProperties;
  }
}
