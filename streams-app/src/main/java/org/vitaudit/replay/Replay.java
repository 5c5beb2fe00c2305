package org.vitaudit.replay;

import java.util.Locale;
import java.util.function.Consumer;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.stream.EventAuditor;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.EventReaders;

/**
 * The {@code replay} use case: opens the configured model, plans which stored events the selection
 * means, audits each again into the output topic in transactions, and reports what changed.
 */
public final class Replay {
  /** The summary's first line (what was replayed with which model and method) and the report. */
  public record Result(String header, ReplayReport report) {}

  private Replay() {}

  /**
   * @param auditTopic the topic a {@link Selection.Mispredicted} selection reads, for the refusal
   *     of an output topic that is one of the topics read or written live
   * @param notes told what the plan had to say about the selection (skipped, missing, ...)
   */
  public static Result run(
      AppConfig config,
      Selection selection,
      String auditTopic,
      String outputTopic,
      Progress progress,
      Consumer<String> notes) {
    ReplayOutput.refuseLiveTopics(config, outputTopic, auditTopic);
    try (AuditorFactory.Opened opened = AuditorFactory.open(config);
        TopicReader reader =
            new TopicReader(
                config.clientProperties(), config.getInt(AppConfig.MAX_POLL_RECORDS_CONFIG))) {
      EventReader<?> events = EventReaders.configured(config);
      ReplayPlan plan =
          new ReplayPlanner(
                  reader,
                  events,
                  config.getString(AppConfig.INPUT_TOPIC_CONFIG),
                  AuditReader.forConfig(config))
              .plan(selection, progress);
      plan.notes().forEach(notes);
      ReplayReport report;
      try (ReplayOutput output = ReplayOutput.open(config, outputTopic)) {
        report =
            new Replayer(reader, events, EventAuditor.offline(opened.auditor()), output)
                .run(plan, progress);
      }
      return new Result(header(config, selection, opened.auditor().facts()), report);
    }
  }

  private static String header(AppConfig c, Selection selection, ModelFacts facts) {
    return String.format(
        Locale.ROOT,
        "replayed %s%s with %s (sha %s), %s, top-%d, cut at %s, residual %s",
        selection.describe(),
        selection instanceof Selection.Mispredicted
            ? ""
            : " from " + c.getString(AppConfig.INPUT_TOPIC_CONFIG),
        facts.name(),
        facts.sha256().substring(0, Math.min(8, facts.sha256().length())),
        c.getString(AppConfig.SALIENCY_VARIANT_CONFIG),
        c.getInt(AppConfig.SALIENCY_TOP_K_CONFIG),
        facts.cutNode(),
        facts.residual().cliName());
  }
}
