package org.vitaudit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import org.vitaudit.config.AppConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code config}: shows the effective configuration (secrets masked) or lists every known key. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the effective configuration, secrets shown as [hidden].",
      "With --list, prints every key the application knows: key<TAB>default<TAB>description."
    })
public final class ConfigCommand implements Callable<Integer> {

  /** The {@code --list} line that stands for the whole pass-through namespace. */
  static final String KAFKA_PASS_THROUGH_LINE =
      AppConfig.KAFKA_PREFIX
          + "*\t\tAny Kafka client or Kafka Streams setting, prefix removed"
          + " (e.g. kafka.security.protocol=SASL_SSL); secrets are never printed.";

  @Mixin ConfigOptions options;

  @Option(
      names = "--list",
      description = "List every configuration key with its default and description.")
  boolean list;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      ConfigDef def = AppConfig.configDef();
      def.configKeys().values().stream()
          .sorted((a, b) -> a.name.compareTo(b.name))
          .forEach(
              k ->
                  out.println(
                      k.name
                          + '\t'
                          + (k.hasDefault()
                              ? ConfigDef.convertToString(k.defaultValue, k.type)
                              : "")
                          + '\t'
                          + k.documentation));
      out.println(KAFKA_PASS_THROUGH_LINE);
    } else {
      out.print(options.load().dump());
    }
    out.flush();
    return 0;
  }
}
