package org.vitaudit.cli;

import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The configuration flags of the commands that talk to Kafka: the shared ones and the brokers. */
public final class ConfigOptions extends SettingsOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers (overrides bootstrap.servers).")
  String bootstrapServers;

  @Override
  void ownFlags(ConfigLoader loader) {
    loader.flag(AppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, "--bootstrap-servers");
  }
}
