package org.vitaudit.dlq;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter record for a failed input: the input's original key, value and headers,
 * plus error headers ({@link DlqHeaders}). The key is kept so the DLQ record lands in the partition
 * its key hashes to and can be matched to the input by key as well as by coordinates.
 */
public final class DlqRecords {

  /** Stack traces are for a human reading one record; the full one stays in the log. */
  public static final int MAX_STACKTRACE_CHARS = 8 * 1024;

  private DlqRecords() {}

  /**
   * @param defaultReason used when no exception in the cause chain implements {@link HasDlqReason}
   */
  public static ProducerRecord<byte[], byte[]> build(
      String dlqTopic, ErrorHandlerContext context, Exception exception, DlqReason defaultReason) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            dlqTopic, null, context.timestamp(), context.sourceRawKey(), context.sourceRawValue());
    if (context.headers() != null) {
      for (Header h : context.headers()) {
        record.headers().add(h);
      }
    }
    addErrorHeaders(
        record.headers(),
        exception,
        reason(exception, defaultReason),
        context.topic(),
        context.partition(),
        context.offset());
    return record;
  }

  /**
   * Appends the error headers to a copy of the input's headers: for records a processor sends to
   * the DLQ itself (a micro-batch flush has no current input record for the handlers to use).
   */
  public static void addErrorHeaders(
      Headers headers,
      Exception exception,
      DlqReason reason,
      String topic,
      int partition,
      long offset) {
    headers.add(DlqHeaders.REASON, utf8(reason.code()));
    headers.add(DlqHeaders.EXCEPTION, utf8(exception.getClass().getName()));
    headers.add(
        DlqHeaders.MESSAGE, exception.getMessage() == null ? null : utf8(exception.getMessage()));
    headers.add(DlqHeaders.STACKTRACE, utf8(stackTrace(exception)));
    headers.add(DlqHeaders.TOPIC, utf8(topic));
    headers.add(DlqHeaders.PARTITION, utf8(String.valueOf(partition)));
    headers.add(DlqHeaders.OFFSET, utf8(String.valueOf(offset)));
  }

  /** The reason of the first exception in the cause chain that has one, else the default. */
  public static DlqReason reason(Throwable exception, DlqReason defaultReason) {
    Throwable t =
        firstInChain(exception, e -> e instanceof HasDlqReason r && r.dlqReason() != null);
    return t == null ? defaultReason : ((HasDlqReason) t).dlqReason();
  }

  /** The first exception in the cause chain (the exception itself first) that matches, or null. */
  static Throwable firstInChain(Throwable exception, Predicate<Throwable> matches) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (matches.test(t)) {
        return t;
      }
    }
    return null;
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String s = w.toString();
    return s.length() <= MAX_STACKTRACE_CHARS ? s : s.substring(0, MAX_STACKTRACE_CHARS) + "\n...";
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
