package org.vitaudit.dlq;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.http.AuditMetrics;

/**
 * An input whose key or value cannot be deserialized goes to the DLQ unchanged, with error
 * headers, and processing continues with the next record.
 */
public final class DlqDeserializationExceptionHandler implements DeserializationExceptionHandler {

  /** Reason header when the exception does not carry one ({@link HasDlqReason}). */
  public static final String DEFAULT_REASON = "undecodable_record";

  private static final Logger LOG = LoggerFactory.getLogger(DlqDeserializationExceptionHandler.class);

  private String dlqTopic;
  private AuditMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DlqHandlerSupport.dlqTopic(configs, getClass());
    metrics = DlqHandlerSupport.metrics(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String reason = DlqRecords.reason(exception, DEFAULT_REASON);
    // Never the value: it may be a 20 MB image or personal data.
    LOG.warn("Cannot deserialize {}-{}@{} ({}): {}; sent to {}", context.topic(), context.partition(),
        context.offset(), reason, exception.toString(), dlqTopic);
    if (metrics != null) {
      metrics.recordDlq(reason);
    }
    return Response.resume(List.of(DlqRecords.build(dlqTopic, context, exception, DEFAULT_REASON)));
  }
}
