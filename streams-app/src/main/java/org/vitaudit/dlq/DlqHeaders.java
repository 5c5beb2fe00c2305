package org.vitaudit.dlq;

/**
 * Header names of dead-letter records. The {@code __streams.errors.*} ones are those Kafka Streams'
 * built-in handlers write (KIP-1034), repeated here because Kafka keeps its constants in an
 * internal package; our handlers write the same ones so tools need to know one layout.
 */
public final class DlqHeaders {

  /** Fully qualified class name of the exception. */
  public static final String EXCEPTION = "__streams.errors.exception";

  /** The exception's message (absent value when it had none). */
  public static final String MESSAGE = "__streams.errors.message";

  /** The exception's stack trace, cut to {@link DlqRecords#MAX_STACKTRACE_CHARS}. */
  public static final String STACKTRACE = "__streams.errors.stacktrace";

  /** Topic, partition and offset of the input record, as decimal strings. */
  public static final String TOPIC = "__streams.errors.topic";

  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  /** Why the record could not be processed, from a small fixed set; see {@link HasDlqReason}. */
  public static final String REASON = "vitaudit.error.reason";

  private DlqHeaders() {}
}
