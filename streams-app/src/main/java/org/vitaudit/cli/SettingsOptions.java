package org.vitaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --set KEY=VALUE}, which every command that reads settings shares
 * ({@code @Mixin} it), and the precedence of the sources: defaults &lt; the model's model.json &lt;
 * {@code --config} file &lt; environment &lt; flags and {@code --set}.
 */
public class SettingsOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with configuration keys.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Sets one configuration key; repeatable; wins over model.json, file and environment.")
  List<String> assignments = new ArrayList<>();

  /** The configuration from the process environment, these options and the command's flags. */
  public AppConfig load(FlagSource... flags) {
    return load(System.getenv(), Map.of(), "", flags);
  }

  /**
   * The configuration from the given environment, over a command's own defaults, with the command's
   * flags for configuration keys ({@code --model} for model.path, ...) winning over every other
   * source.
   */
  public AppConfig load(
      Map<String, String> env,
      Map<String, String> commandDefaults,
      String command,
      FlagSource... flags) {
    ConfigLoader loader = new ConfigLoader().commandDefaults(commandDefaults, command);
    if (configFile != null) {
      loader.file(configFile);
    }
    loader.environment(env);
    ownFlags(loader);
    loader.assignments(assignments);
    for (FlagSource f : flags) {
      f.addTo(loader);
    }
    return loader.load();
  }

  /** Flags declared by a subclass, added before {@code --set}. */
  void ownFlags(ConfigLoader loader) {}
}
