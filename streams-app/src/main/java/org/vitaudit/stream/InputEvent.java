package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One image event as the processor sees it, whatever the input format: ids, times, where it was
 * read from (so a replay can find it), the known label, and the encoded image.
 */
public record InputEvent(
    String eventId,
    long eventTime,
    String topic,
    int partition,
    long offset,
    Optional<String> label,
    byte[] image) {

  /**
   * The event id rule: the {@code event-id} header, else the record key, else {@code
   * topic-partition-offset}.
   */
  public static String eventId(
      String header, byte[] key, String topic, int partition, long offset) {
    if (header != null && !header.isBlank()) {
      return header;
    }
    if (key != null && key.length > 0) {
      return new String(key, StandardCharsets.UTF_8);
    }
    return topic + "-" + partition + "-" + offset;
  }
}
