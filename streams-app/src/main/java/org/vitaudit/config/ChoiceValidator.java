package org.vitaudit.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.vitaudit.choice.Choice;
import org.vitaudit.choice.Choices;

/**
 * Accepts the names of a {@link Choice} enum, as {@link Choices#parse} reads them (any case), and
 * lists them in {@code config --list}: the enum is the one place its names are written.
 */
final class ChoiceValidator<E extends Enum<E> & Choice> implements ConfigDef.Validator {
  private final Class<E> type;
  private final List<String> names;

  private ChoiceValidator(Class<E> type) {
    this.type = type;
    this.names = Choices.names(type);
  }

  static <E extends Enum<E> & Choice> ChoiceValidator<E> of(Class<E> type) {
    return new ChoiceValidator<>(type);
  }

  @Override
  public void ensureValid(String name, Object value) {
    try {
      Choices.parse(type, name, value == null ? null : value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, "String must be one of: " + String.join(", ", names));
    }
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
