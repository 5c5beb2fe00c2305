package org.vitaudit.dlq;

/**
 * Implemented by exceptions that say the failure is not the input record's but this instance's (its
 * model no longer runs at all): the processing handler then fails the task instead of
 * dead-lettering the record, so that its offset is not committed and an instance that works reads
 * it again. Dead-lettering would send every later record after it, each for a reason it does not
 * have.
 */
public interface NotTheRecordsFault {

  /** The first exception in the cause chain that says so, or null. */
  static Throwable in(Throwable exception) {
    return DlqRecords.firstInChain(exception, t -> t instanceof NotTheRecordsFault);
  }
}
