package org.vitaudit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitaudit.config.AppConfig;
import org.vitaudit.replay.Replay;
import org.vitaudit.replay.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code replay}: audits stored input events again, with the live model or another one. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reads stored image events again and audits them with the live configuration's model and"
          + " method, or with --model/--variant/--top-k, writing one audit record per event to"
          + " --output-topic (or one dead-letter record to <output-topic>.dlq), in transactions.",
      "Never joins or moves a consumer group: partitions are assigned and sought, and the end"
          + " offsets are taken at the start, so it always ends. Progress on stderr, a summary on"
          + " stdout."
    })
final class ReplayCommand implements Callable<Integer> {
  /** What {@code --mispredicted-in} without a topic stands for: the mispredictions topic. */
  private static final String MISPREDICTIONS_TOPIC = "";

  @Mixin ConfigOptions config;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "Events with a Kafka timestamp at or after TIME (ISO-8601, e.g. 2026-11-25T10:00:00Z, or"
              + " a date).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "... and before TIME.")
  String to;

  @Option(
      names = "--from-offsets",
      paramLabel = "P:O[,P:O...]",
      description = "Events from these offsets of the input topic's partitions (inclusive).")
  List<String> fromOffsets = new ArrayList<>();

  @Option(
      names = "--to-offsets",
      paramLabel = "P:O[,P:O...]",
      description = "... up to these offsets (exclusive).")
  List<String> toOffsets = new ArrayList<>();

  @Option(
      names = "--event-id",
      paramLabel = "ID",
      description =
          "Events with this id (event-id header, else key, else topic-partition-offset; for Avro"
              + " input the event's own event_id first); repeatable or comma-separated. Scans the"
              + " input topic.")
  List<String> eventIds = new ArrayList<>();

  @Option(
      names = "--mispredicted-in",
      paramLabel = "TOPIC",
      arity = "0..1",
      fallbackValue = MISPREDICTIONS_TOPIC,
      description =
          "Events whose record in TOPIC says the prediction was wrong: the mispredictions topic"
              + " (the default: mispredictions.topic, late labels included) or an audit topic"
              + " (correct = false); with --from/--to, records in that time range. The summary"
              + " compares the new outcome with it.")
  String mispredictedIn;

  @Option(
      names = "--input-topic",
      paramLabel = "T",
      description = "Topic of the stored events (default: input.topic).")
  String inputTopic;

  /** The model and method to audit with, where they differ from the live configuration's. */
  @Mixin ModelOptions model;

  @Mixin SaliencyOptions saliency;

  @Option(
      names = "--output-topic",
      paramLabel = "T",
      required = true,
      description =
          "Topic for the new audit records; created if missing, with <T>.dlq for failures.")
  String outputTopic;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AppConfig c =
        config.load(
            model,
            saliency,
            loader -> loader.flag(AppConfig.INPUT_TOPIC_CONFIG, inputTopic, "--input-topic"));
    String auditTopic =
        MISPREDICTIONS_TOPIC.equals(mispredictedIn)
            ? c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG)
            : mispredictedIn;
    Selection selection = Selection.of(from, to, fromOffsets, toOffsets, eventIds, auditTopic);
    Replay.Result result =
        Replay.run(
            c,
            selection,
            auditTopic,
            outputTopic,
            ProgressBars.on(err),
            note -> {
              err.println("note: " + note);
              err.flush();
            });
    out.println(result.header());
    result.report().lines().forEach(out::println);
    out.flush();
    return 0;
  }
}
