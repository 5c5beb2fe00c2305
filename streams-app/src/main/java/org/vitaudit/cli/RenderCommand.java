package org.vitaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.inspect.AuditFinder;
import org.vitaudit.inspect.EventRenderer;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.MissingRecordException;
import org.vitaudit.kafka.PartitionOffset;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.InputEvent;
import org.vitaudit.stream.InputFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code render}: an audited event's image, overlays and audit record as PNGs and an HTML page. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fetches an audit record (by event id, or at partition:offset of the audit topic, or of the"
        + " mispredictions topic), then the original image through the input coordinates the record stores, and"
        + " writes the picture the model saw, an overlay PNG per map (a misprediction's true class included) and"
        + " <event-id>.html showing them with predictions, label, model and timings."})
final class RenderCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--event-id", paramLabel = "ID", required = true,
        description = "The event's id; the audit topic is scanned for it (the latest record wins).")
    String eventId;

    @Option(names = "--audit", paramLabel = "P:O", required = true,
        description = "The audit record at this partition and offset of the audit topic.")
    String audit;
  }

  @Option(names = "--audit-topic", paramLabel = "T",
      description = "Audit topic, or the mispredictions topic (default: audit.topic).")
  String auditTopic;

  @Option(names = "--audit-format", paramLabel = "avro|json", description = "Its format (default: audit.format).")
  String auditFormat;

  @Option(names = "--model", paramLabel = "M.onnx",
      description = "Model whose preprocessing gives the picture the maps are drawn on (default: model.path).")
  String model;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the page and the PNGs.")
  Path out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AppConfig c = config.load(System.getenv(), Map.of(), "render", loader -> loader
        .flag(AppConfig.AUDIT_TOPIC_CONFIG, auditTopic, "--audit-topic")
        .flag(AppConfig.AUDIT_FORMAT_CONFIG, auditFormat, "--audit-format")
        .flag(AppConfig.MODEL_PATH_CONFIG, model, "--model"));
    PartitionOffset at = target.audit == null ? null : PartitionOffset.parse("--audit", target.audit);
    String topic = c.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    try (TopicReader reader = new TopicReader(c.clientProperties(), c.getInt(AppConfig.MAX_POLL_RECORDS_CONFIG))) {
      AuditFinder finder = new AuditFinder(reader, AuditReader.forConfig(c), topic);
      AuditFinder.Found found = at != null ? finder.at(at) : finder.byEventId(target.eventId, ProgressBars.on(err));
      AuditRecord a = found.record();
      if (found.matches() > 1) {
        err.println("note: " + topic + " holds " + found.matches() + " audit records of event " + a.getEventId()
            + "; rendering the latest, " + found.at());
      }
      InputEvent event = InputFormat.of(c).reader(c).readStored(input(reader, a));
      ModelSetup setup = AuditorFactory.setup(c);
      if (!setup.bundle().sha256().equals(a.getModel().getSha256())) {
        err.println("note: the record comes from model " + a.getModel().getName() + " (sha "
            + a.getModel().getSha256() + "); the picture is preprocessed as " + setup.bundle().name()
            + " does it (--model to change)");
      }
      EventRenderer.Written written;
      try {
        written = new EventRenderer(AuditorFactory.decoder(c), new Preprocessor(setup.preprocessing()))
            .render(found.stored(), found.at(), event.image(), out);
      } catch (ImageRejectedException e) {
        throw new IllegalStateException("the input image of event " + a.getEventId() + " cannot be decoded: "
            + e.getMessage(), e);
      }
      stdout.println(written.page());
      written.images().forEach(stdout::println);
      stdout.flush();
    }
    err.flush();
    return 0;
  }

  private static ConsumerRecord<byte[], byte[]> input(TopicReader reader, AuditRecord a) {
    StoredPosition inputAt = new StoredPosition(a.getInput().getTopic(), a.getInput().getPartition(),
        a.getInput().getOffset());
    try {
      return reader.fetch(inputAt);
    } catch (MissingRecordException e) {
      throw new IllegalStateException("the input of event " + a.getEventId() + " is gone: " + e.getMessage(), e);
    }
  }
}
