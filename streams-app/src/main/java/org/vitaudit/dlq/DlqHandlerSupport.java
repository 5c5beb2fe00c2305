package org.vitaudit.dlq;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.vitaudit.metrics.AuditMetrics;

/**
 * What both DLQ handlers share: the dead-letter topic and metrics read from the Streams
 * configuration, and sending one failed input there (logged without its value, counted).
 */
final class DlqHandlerSupport {
  private final String dlqTopic;
  private final AuditMetrics metrics;

  private DlqHandlerSupport(String dlqTopic, AuditMetrics metrics) {
    this.dlqTopic = dlqTopic;
    this.metrics = metrics;
  }

  static DlqHandlerSupport configure(Map<String, ?> configs, Class<?> handler) {
    return new DlqHandlerSupport(dlqTopic(configs, handler), metrics(configs));
  }

  /**
   * The DLQ record of a failed input, logged (without its value) and counted; the handler resumes
   * with it.
   *
   * @param failed what failed, for the log line (e.g. "deserialize", "process")
   */
  List<ProducerRecord<byte[], byte[]>> deadLetter(
      Logger log,
      String failed,
      ErrorHandlerContext context,
      Exception exception,
      DlqReason defaultReason) {
    DlqReason reason = DlqRecords.reason(exception, defaultReason);
    // Never the value: it may be a 20 MB image or personal data.
    log.warn(
        "Cannot {} {}-{}@{} ({}): {}; sent to {}",
        failed,
        context.topic(),
        context.partition(),
        context.offset(),
        reason.code(),
        exception.toString(),
        dlqTopic);
    if (metrics != null) {
      metrics.recordDlq(reason.code());
    }
    return List.of(DlqRecords.build(dlqTopic, context, exception, defaultReason));
  }

  static String dlqTopic(Map<String, ?> configs, Class<?> handler) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new ConfigException(
          handler.getSimpleName()
              + " needs "
              + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
              + " (set dlq.topic)");
    }
    return topic.toString();
  }

  /**
   * The optional {@link AuditMetrics} put in the Streams properties under {@link
   * DlqHandlers#METRICS_CONFIG}.
   */
  static AuditMetrics metrics(Map<String, ?> configs) {
    Object m = configs.get(DlqHandlers.METRICS_CONFIG);
    if (m != null && !(m instanceof AuditMetrics)) {
      throw new ConfigException(
          DlqHandlers.METRICS_CONFIG,
          m.getClass().getName(),
          "must be an " + AuditMetrics.class.getName() + " instance");
    }
    return (AuditMetrics) m;
  }
}
