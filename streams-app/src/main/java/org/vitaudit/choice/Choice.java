package org.vitaudit.choice;

import java.util.Locale;

/**
 * A value of a setting that takes one of a fixed set of names (a mask kernel, a score, a residual
 * reading, an input format, ...). Implemented by enums, so that each such setting has its names
 * written once, in the enum, and parsed and listed by {@link Choices}.
 */
public interface Choice {
  /**
   * The name used on the command line, in configuration, in model.json and in records: by default
   * the constant's name in lower case with dashes for underscores ({@code MASKED_INPUT} is {@code
   * masked-input}).
   */
  default String cliName() {
    return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
