package org.vitaudit.cli;

import org.vitaudit.config.ConfigLoader;

/**
 * Command-line flags that stand for configuration keys: they add the values given, as the
 * highest-precedence source, so a flag and its key are validated by the same code with the same
 * message.
 */
interface FlagSource {
  /** Adds each flag given on the command line as its key; a flag not given adds nothing. */
  ConfigLoader addTo(ConfigLoader loader);
}
