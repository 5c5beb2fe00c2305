package org.vitaudit.stream;

import org.vitaudit.dlq.NotTheRecordsFault;

/**
 * The model failed on an event and then also on the blank input it ran when it opened: it no longer
 * runs at all, so the event is not to blame and is not dead-lettered. In the stream the task fails
 * without committing the event, and the application stops consuming and reports not ready
 * (docs/reliability.md, "Model failures").
 */
public final class ModelFailedException extends RuntimeException implements NotTheRecordsFault {
  ModelFailedException(String eventId, RuntimeException eventFailure, RuntimeException probe) {
    super(
        "the model no longer runs: it failed on event "
            + eventId
            + " ("
            + eventFailure.getMessage()
            + ") and then on the blank input it ran at start ("
            + probe.getMessage()
            + ")",
        eventFailure);
    addSuppressed(probe);
  }
}
