package org.vitaudit.cli;

import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * Which topic of audit records a reading command reads, and in which format: audit.topic and
 * audit.format.
 */
final class AuditTopicOptions implements FlagSource {
  @Option(
      names = "--audit-topic",
      paramLabel = "T",
      description =
          "Audit topic, or the mispredictions topic (audit.topic; default: the configured one).")
  String topic;

  @Option(
      names = "--audit-format",
      paramLabel = "FORMAT",
      descriptionKey = AppConfig.AUDIT_FORMAT_CONFIG)
  String format;

  @Override
  public ConfigLoader addTo(ConfigLoader loader) {
    return loader
        .flag(AppConfig.AUDIT_TOPIC_CONFIG, topic, "--audit-topic")
        .flag(AppConfig.AUDIT_FORMAT_CONFIG, format, "--audit-format");
  }
}
