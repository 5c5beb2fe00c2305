package org.vitaudit.stream;

import org.vitaudit.config.AppConfig;
import org.vitaudit.config.InputFormat;

/**
 * The reader of each {@link InputFormat}: the topology, replay and render all read events with it.
 */
public final class EventReaders {
  private EventReaders() {}

  /** The reader of {@code format}; Avro events fetch URIs under the configuration's rules. */
  private static EventReader<?> forFormat(InputFormat format, AppConfig config) {
    return switch (format) {
      case RAW -> new RawEventReader();
      case AVRO -> new AvroEventReader(UriFetcher.forConfig(config));
    };
  }

  /** The reader of the configured {@code input.format}. */
  public static EventReader<?> configured(AppConfig config) {
    return forFormat(config.getChoice(AppConfig.INPUT_FORMAT_CONFIG, InputFormat.class), config);
  }
}
