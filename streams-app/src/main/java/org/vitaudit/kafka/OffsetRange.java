package org.vitaudit.kafka;

/** The offsets {@code from} (inclusive) to {@code to} (exclusive) of one partition. */
public record OffsetRange(long from, long to) {
  public OffsetRange {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not an offset range: " + from + " to " + to);
    }
  }

  public long size() {
    return to - from;
  }

  public boolean contains(long offset) {
    return offset >= from && offset < to;
  }
}
