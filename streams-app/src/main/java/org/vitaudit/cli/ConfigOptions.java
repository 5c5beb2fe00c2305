package org.vitaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The configuration flags every command that talks to Kafka shares ({@code @Mixin} it), and the
 * precedence they imply: defaults &lt; {@code --config} file &lt; environment &lt; flags.
 */
public final class ConfigOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with configuration keys.")
  Path configFile;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers (overrides bootstrap.servers).")
  String bootstrapServers;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Sets one configuration key; repeatable; wins over file and environment.")
  List<String> assignments = new ArrayList<>();

  /** The configuration from the process environment and these flags. */
  public AppConfig load() {
    return load(System.getenv());
  }

  /** The configuration from the given environment and these flags. */
  public AppConfig load(Map<String, String> env) {
    return load(env, Map.of(), "");
  }

  /** As {@link #load(Map)}, over a command's own defaults. */
  public AppConfig load(Map<String, String> env, Map<String, String> commandDefaults, String command) {
    return load(env, commandDefaults, command, UnaryOperator.identity());
  }

  /**
   * As {@link #load(Map, Map, String)}, plus the command's own flags for configuration keys
   * ({@code --model} for model.path, ...), added with {@link ConfigLoader#flag}: they win over
   * every other source.
   */
  public AppConfig load(Map<String, String> env, Map<String, String> commandDefaults, String command,
      UnaryOperator<ConfigLoader> commandFlags) {
    ConfigLoader loader = new ConfigLoader().commandDefaults(commandDefaults, command);
    if (configFile != null) {
      loader.file(configFile);
    }
    loader
        .environment(env)
        .flag(AppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, "--bootstrap-servers")
        .assignments(assignments);
    return commandFlags.apply(loader).load();
  }
}
