package org.vitaudit.dlq;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input whose key or value cannot be deserialized goes to the DLQ unchanged, with error headers,
 * and processing continues with the next record.
 */
public final class DlqDeserializationExceptionHandler implements DeserializationExceptionHandler {

  /** Reason header when the exception does not carry one ({@link HasDlqReason}). */
  public static final DlqReason DEFAULT_REASON = DlqReason.UNDECODABLE_RECORD;

  private static final Logger LOG =
      LoggerFactory.getLogger(DlqDeserializationExceptionHandler.class);

  private DlqHandlerSupport dlq;

  @Override
  public void configure(Map<String, ?> configs) {
    dlq = DlqHandlerSupport.configure(configs, getClass());
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return Response.resume(dlq.deadLetter(LOG, "deserialize", context, exception, DEFAULT_REASON));
  }
}
