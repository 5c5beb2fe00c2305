package org.vitaudit.config;

import org.vitaudit.choice.Choice;

/**
 * {@code input.format}: how image events are written on the input topic. The topology consumes
 * them, and replay and render read them back, through the same reader of this format ({@code
 * stream/EventReaders}), so event ids, labels and images come out the same everywhere.
 */
public enum InputFormat implements Choice {
  /**
   * The value is the image file's bytes; {@code event-id} and {@code label} headers are optional.
   */
  RAW,
  /** The value is an Avro {@code ImageEvent} with the image inline or a URI to fetch it from. */
  AVRO
}
