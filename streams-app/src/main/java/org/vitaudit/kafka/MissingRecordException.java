package org.vitaudit.kafka;

/** A record asked for by its position is not (or no longer) stored; the message says why. */
public final class MissingRecordException extends RuntimeException {
  private final StoredPosition position;

  public MissingRecordException(StoredPosition position, String why) {
    super("no record at " + position + ": " + why);
    this.position = position;
  }

  public StoredPosition position() {
    return position;
  }
}
