package org.vitaudit.dlq;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.vitaudit.http.AuditMetrics;

/** What both DLQ handlers read from the Streams configuration they are given. */
final class DlqHandlerSupport {

  private DlqHandlerSupport() {}

  static String dlqTopic(Map<String, ?> configs, Class<?> handler) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new ConfigException(handler.getSimpleName() + " needs "
          + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " (set dlq.topic)");
    }
    return topic.toString();
  }

  /** The optional {@link AuditMetrics} put in the Streams properties under {@link DlqHandlers#METRICS_CONFIG}. */
  static AuditMetrics metrics(Map<String, ?> configs) {
    Object m = configs.get(DlqHandlers.METRICS_CONFIG);
    if (m != null && !(m instanceof AuditMetrics)) {
      throw new ConfigException(DlqHandlers.METRICS_CONFIG, m.getClass().getName(),
          "must be an " + AuditMetrics.class.getName() + " instance");
    }
    return (AuditMetrics) m;
  }
}
