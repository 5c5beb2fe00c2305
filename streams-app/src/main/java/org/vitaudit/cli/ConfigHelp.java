package org.vitaudit.cli;

import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.vitaudit.config.AppConfig;

/**
 * The help text of every flag that stands for a configuration key ({@code descriptionKey} = the
 * key), taken from the key's documentation and default in {@link AppConfig}: a setting is described
 * once, and {@code --help}, {@code config --list} and docs/configuration.md agree.
 */
final class ConfigHelp extends ListResourceBundle {
  private final Object[][] contents;

  private ConfigHelp() {
    this.contents =
        AppConfig.configDef().configKeys().values().stream()
            .map(k -> new Object[] {k.name, text(k)})
            .toArray(Object[][]::new);
  }

  static ResourceBundle bundle() {
    return new ConfigHelp();
  }

  private static String text(ConfigKey key) {
    String def =
        key.hasDefault() && key.defaultValue != null
            ? ConfigDef.convertToString(key.defaultValue, key.type)
            : "";
    String text =
        key.documentation
            + " ("
            + key.name
            + (def.isEmpty() ? "" : "; default: " + def)
            + "; allowed: "
            + AppConfig.allowed(key.name)
            + ")";
    return text.replace("%", "%%"); // picocli formats descriptions: %n is a line break
  }

  @Override
  protected Object[][] getContents() {
    return contents;
  }
}
