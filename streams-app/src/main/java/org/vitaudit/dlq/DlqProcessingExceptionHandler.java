package org.vitaudit.dlq;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input whose processing throws goes to the DLQ with its original bytes and error headers, and
 * processing continues.
 *
 * <p>Exceptions thrown from a punctuator (a micro-batch flush, say) fail the task instead: there is
 * no single input record to dead-letter (Kafka Streams gives no topic, offset or raw bytes there),
 * and dropping a whole batch silently would break "one output per input". Under exactly-once the
 * failed transaction is aborted and the batch is reprocessed after restart. A batch flush must
 * therefore catch per-record failures itself.
 *
 * <p>An exception that is not the record's fault ({@link NotTheRecordsFault}: the model no longer
 * runs at all) fails the task too, rather than dead-letter every record from then on.
 */
public final class DlqProcessingExceptionHandler implements ProcessingExceptionHandler {

  /** Reason header when the exception does not carry one ({@link HasDlqReason}). */
  public static final DlqReason DEFAULT_REASON = DlqReason.PROCESSING_ERROR;

  private static final Logger LOG = LoggerFactory.getLogger(DlqProcessingExceptionHandler.class);

  private DlqHandlerSupport dlq;

  @Override
  public void configure(Map<String, ?> configs) {
    dlq = DlqHandlerSupport.configure(configs, getClass());
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (context.topic() == null) {
      LOG.error(
          "Exception in punctuator of processor {} in task {}: no input record to dead-letter,"
              + " failing the task",
          context.processorNodeId(),
          context.taskId(),
          exception);
      return Response.fail();
    }
    if (NotTheRecordsFault.in(exception) != null) {
      LOG.error(
          "Processing {}-{}@{} failed, and not because of the record: failing the task, the record"
              + " is not dead-lettered and its offset not committed",
          context.topic(),
          context.partition(),
          context.offset(),
          exception);
      return Response.fail();
    }
    return Response.resume(
        dlq.deadLetter(
            LOG,
            "process (in " + context.processorNodeId() + ")",
            context,
            exception,
            DEFAULT_REASON));
  }
}
