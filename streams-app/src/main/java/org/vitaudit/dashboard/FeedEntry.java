package org.vitaudit.dashboard;

import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Misprediction;

/**
 * One event of the feed as stored: its audit record (with the maps the thumbnails and the detail
 * need), its misprediction record when one came, or its dead letter. Records of the same event id
 * merge into one entry, whichever topic delivered first.
 */
record FeedEntry(
    long seq,
    long timeMillis,
    AuditRecord audit,
    Misprediction misprediction,
    DeadLetter deadLetter) {

  String eventId() {
    return deadLetter != null ? deadLetter.eventId() : audit.getEventId();
  }

  FeedEntry withAudit(AuditRecord a) {
    return new FeedEntry(seq, timeMillis, a, misprediction, deadLetter);
  }

  FeedEntry withMisprediction(Misprediction m) {
    return new FeedEntry(seq, timeMillis, audit == null ? m.getAudit() : audit, m, deadLetter);
  }
}
