package org.vitaudit.stream;

import org.vitaudit.choice.Choice;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;

/**
 * {@code input.format}: how image events are written on the input topic. The topology consumes
 * them and replay and render read them back through the same {@link EventReader}, so event ids,
 * labels and images come out the same everywhere.
 */
public enum InputFormat implements Choice {
  /** The value is the image file's bytes; {@code event-id} and {@code label} headers are optional. */
  RAW,
  /** The value is an Avro {@code ImageEvent} with the image inline or a URI to fetch it from. */
  AVRO;

  /** The configured format. */
  public static InputFormat of(AppConfig config) {
    return Choices.parse(InputFormat.class, AppConfig.INPUT_FORMAT_CONFIG,
        config.getString(AppConfig.INPUT_FORMAT_CONFIG));
  }

  /** The reader of this format; Avro events fetch URIs under the configuration's rules. */
  public EventReader<?> reader(AppConfig config) {
    return switch (this) {
      case RAW -> new RawEventReader();
      case AVRO -> new AvroEventReader(UriFetcher.forConfig(config));
    };
  }
}
