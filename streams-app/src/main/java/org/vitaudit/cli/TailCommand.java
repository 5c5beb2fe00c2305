package org.vitaudit.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vitaudit.config.AppConfig;
import org.vitaudit.inspect.AuditLine;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tail}: one readable line per audited event as the audit records arrive. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Follows an audit topic and prints one line per event: event id, top prediction and its"
          + " probability, label with ✓ or ✗, and the top map's peak cell (row,col). No consumer"
          + " group: nothing is committed. Runs until Ctrl-C, --max lines or --timeout."
    })
final class TailCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Mixin AuditTopicOptions audits;

  @Option(
      names = "--only-wrong",
      description = "Only events whose prediction contradicts their label.")
  boolean onlyWrong;

  @Option(
      names = "--from-beginning",
      description = "Start with the oldest stored record instead of new ones.")
  boolean fromBeginning;

  @Option(
      names = "--max",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N lines (0: no limit).")
  int max;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Stop after this many seconds (0: never).")
  int timeoutSeconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (max < 0 || timeoutSeconds < 0) {
      throw new IllegalArgumentException("--max and --timeout must be 0 or more");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AppConfig c = config.load(audits);
    AuditReader audits = AuditReader.forConfig(c);
    Optional<Instant> deadline =
        timeoutSeconds == 0
            ? Optional.empty()
            : Optional.of(Instant.now().plusSeconds(timeoutSeconds));
    int[] printed = {0};
    try (TopicReader reader = new TopicReader(c.clientProperties(), 500)) {
      reader.follow(
          c.getString(AppConfig.AUDIT_TOPIC_CONFIG),
          fromBeginning,
          r -> {
            AuditRecord a;
            try {
              a = audits.read(r).map(StoredAudit::audit).orElse(null);
            } catch (RuntimeException e) {
              err.println(
                  "warning: "
                      + r.topic()
                      + "-"
                      + r.partition()
                      + "@"
                      + r.offset()
                      + " is not an audit record: "
                      + e.getMessage());
              err.flush();
              return true;
            }
            if (a == null || (onlyWrong && !Boolean.FALSE.equals(a.getCorrect()))) {
              return true;
            }
            out.println(AuditLine.of(a));
            out.flush();
            return max == 0 || ++printed[0] < max;
          },
          deadline);
    }
    return 0;
  }
}
