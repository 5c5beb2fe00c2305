package org.vitaudit.stream;

import org.vitaudit.dlq.NotTheRecordsFault;

/**
 * A micro-batch's audit broke in a way no event of it is to blame for (a failure that escaped the
 * per-event handling, or the stream thread interrupted while it waited). It surfaces while the
 * processor handles some later record, which is not at fault either: the task fails, the batch
 * stays in its store, and whoever takes the task over audits it again.
 */
final class MicroBatchFailedException extends RuntimeException implements NotTheRecordsFault {
  MicroBatchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
