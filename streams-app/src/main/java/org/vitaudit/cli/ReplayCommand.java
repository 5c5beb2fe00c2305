package org.vitaudit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.replay.ReplayOutput;
import org.vitaudit.replay.ReplayPlan;
import org.vitaudit.replay.ReplayPlanner;
import org.vitaudit.replay.ReplayReport;
import org.vitaudit.replay.Replayer;
import org.vitaudit.replay.Selection;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.stream.EventAuditor;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.InputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code replay}: audits stored input events again, with the live model or another one. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads stored image events again and audits them with the live configuration's model and"
        + " method, or with --model/--variant/--top-k, writing one audit record per event to --output-topic (or"
        + " one dead-letter record to <output-topic>.dlq), in transactions.",
        "Never joins or moves a consumer group: partitions are assigned and sought, and the end offsets are"
        + " taken at the start, so it always ends. Progress on stderr, a summary on stdout."})
final class ReplayCommand implements Callable<Integer> {
  /** What {@code --mispredicted-in} without a topic stands for: the mispredictions topic. */
  private static final String MISPREDICTIONS_TOPIC = "";

  @Mixin ConfigOptions config;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Events with a Kafka timestamp at or after TIME (ISO-8601, e.g. 2026-11-25T10:00:00Z, or a date).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "... and before TIME.")
  String to;

  @Option(names = "--from-offsets", paramLabel = "P:O[,P:O...]",
      description = "Events from these offsets of the input topic's partitions (inclusive).")
  List<String> fromOffsets = new ArrayList<>();

  @Option(names = "--to-offsets", paramLabel = "P:O[,P:O...]", description = "... up to these offsets (exclusive).")
  List<String> toOffsets = new ArrayList<>();

  @Option(names = "--event-id", paramLabel = "ID",
      description = "Events with this id (event-id header, else key, else topic-partition-offset; for Avro input"
          + " the event's own event_id first); repeatable or comma-separated. Scans the input topic.")
  List<String> eventIds = new ArrayList<>();

  @Option(names = "--mispredicted-in", paramLabel = "TOPIC", arity = "0..1", fallbackValue = MISPREDICTIONS_TOPIC,
      description = "Events whose record in TOPIC says the prediction was wrong: the mispredictions topic (the"
          + " default: mispredictions.topic, late labels included) or an audit topic (correct = false); with"
          + " --from/--to, records in that time range. The summary compares the new outcome with it.")
  String mispredictedIn;

  @Option(names = "--input-topic", paramLabel = "T", description = "Topic of the stored events (default: input.topic).")
  String inputTopic;

  @Option(names = "--model", paramLabel = "M.onnx", description = "Model to audit with (default: model.path).")
  String model;

  @Option(names = "--variant", paramLabel = "gaussian|dirac", description = "Mask kernel (default: saliency.variant).")
  String variant;

  @Option(names = "--block", paramLabel = "N",
      description = "Cut at the Nth pre-norm block from the end (default: saliency.block).")
  String block;

  @Option(names = "--residual", paramLabel = "masked-features|masked-input|block-input",
      description = "What the cut block's first residual adds (default: saliency.residual).")
  String residual;

  @Option(names = "--top-k", paramLabel = "K", description = "Maps for the K most probable classes (default: saliency.top.k).")
  String topK;

  @Option(names = "--output-topic", paramLabel = "T", required = true,
      description = "Topic for the new audit records; created if missing, with <T>.dlq for failures.")
  String outputTopic;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AppConfig c = config.load(System.getenv(), Map.of(), "replay", loader -> loader
        .flag(AppConfig.INPUT_TOPIC_CONFIG, inputTopic, "--input-topic")
        .flag(AppConfig.MODEL_PATH_CONFIG, model, "--model")
        .flag(AppConfig.SALIENCY_VARIANT_CONFIG, variant, "--variant")
        .flag(AppConfig.SALIENCY_TOP_K_CONFIG, topK, "--top-k")
        .flag(AppConfig.SALIENCY_BLOCK_CONFIG, block, "--block")
        .flag(AppConfig.SALIENCY_RESIDUAL_CONFIG, residual, "--residual"));
    String auditTopic = MISPREDICTIONS_TOPIC.equals(mispredictedIn)
        ? c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG) : mispredictedIn;
    Selection selection = Selection.of(from, to, fromOffsets, toOffsets, eventIds, auditTopic);
    ReplayOutput.refuseLiveTopics(c, outputTopic, auditTopic);
    try (AuditorFactory.Opened opened = AuditorFactory.open(c);
        TopicReader reader = new TopicReader(c.clientProperties(), c.getInt(AppConfig.MAX_POLL_RECORDS_CONFIG))) {
      EventReader<?> events = InputFormat.of(c).reader(c);
      ReplayPlan plan = new ReplayPlanner(reader, events, c.getString(AppConfig.INPUT_TOPIC_CONFIG),
          AuditReader.forConfig(c)).plan(selection, ProgressBars.on(err));
      plan.notes().forEach(n -> err.println("note: " + n));
      err.flush();
      ReplayReport report;
      try (ReplayOutput output = ReplayOutput.open(c, outputTopic)) {
        report = new Replayer(reader, events, EventAuditor.offline(opened.auditor()), output)
            .run(plan, ProgressBars.on(err));
      }
      out.println(header(c, selection, opened.auditor().facts()));
      report.lines().forEach(out::println);
      out.flush();
    }
    return 0;
  }

  private static String header(AppConfig c, Selection selection, ModelFacts facts) {
    return String.format(Locale.ROOT, "replayed %s%s with %s (sha %s), %s, top-%d, cut at %s, residual %s",
        selection.describe(),
        selection instanceof Selection.Mispredicted ? "" : " from " + c.getString(AppConfig.INPUT_TOPIC_CONFIG),
        facts.name(), facts.sha256().substring(0, Math.min(8, facts.sha256().length())),
        c.getString(AppConfig.SALIENCY_VARIANT_CONFIG), c.getInt(AppConfig.SALIENCY_TOP_K_CONFIG), facts.cutNode(),
        facts.residual().cliName());
  }
}
