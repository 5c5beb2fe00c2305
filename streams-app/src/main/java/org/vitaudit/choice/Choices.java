package org.vitaudit.choice;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The one parse and the one list of names of every {@link Choice} enum. */
public final class Choices {
  private Choices() {}

  /**
   * The constant named {@code text} (case and surrounding blanks ignored).
   *
   * @param setting what the value is for, as the user wrote it (a key or a flag), for the message
   * @throws IllegalArgumentException naming the setting, every accepted name and the value given
   */
  public static <E extends Enum<E> & Choice> E parse(Class<E> type, String setting, String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.cliName().equals(wanted)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        setting + " must be one of " + String.join(", ", names(type)) + ", not '" + text + "'");
  }

  /** Every accepted name, in declaration order. */
  public static <E extends Enum<E> & Choice> List<String> names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Choice::cliName).toList();
  }
}
