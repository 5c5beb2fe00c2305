package org.vitaudit.dashboard;

import java.util.Optional;

/** Fetches an event's encoded image by where the input topic stores it. */
public interface InputImages {
  /**
   * @return the image file's bytes, or empty where the record is gone (retention) or holds none (an
   *     Avro event that names a URI)
   */
  Optional<byte[]> imageAt(String topic, int partition, long offset);
}
