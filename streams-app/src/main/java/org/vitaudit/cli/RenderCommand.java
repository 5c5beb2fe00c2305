package org.vitaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.inspect.EventRenderer;
import org.vitaudit.inspect.Rendering;
import org.vitaudit.kafka.PartitionOffset;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code render}: an audited event's image, overlays and audit record as PNGs and an HTML page. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fetches an audit record (by event id, or at partition:offset of the audit topic, or of the"
          + " mispredictions topic), then the original image through the input coordinates the"
          + " record stores, and writes the picture the model saw, an overlay PNG per map (a"
          + " misprediction's true class included) and <event-id>.html showing them with"
          + " predictions, label, model and timings."
    })
final class RenderCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--event-id",
        paramLabel = "ID",
        required = true,
        description = "The event's id; the audit topic is scanned for it (the latest record wins).")
    String eventId;

    @Option(
        names = "--audit",
        paramLabel = "P:O",
        required = true,
        description = "The audit record at this partition and offset of the audit topic.")
    String audit;
  }

  @Mixin AuditTopicOptions audits;

  @Option(
      names = "--model",
      paramLabel = "M.onnx",
      description =
          "Model whose preprocessing gives the picture the maps are drawn on (default:"
              + " model.path).")
  String model;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Folder for the page and the PNGs.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AppConfig c =
        config.load(audits, loader -> loader.flag(AppConfig.MODEL_PATH_CONFIG, model, "--model"));
    Optional<PartitionOffset> at =
        Optional.ofNullable(target.audit).map(p -> PartitionOffset.parse("--audit", p));
    EventRenderer.Written written =
        new Rendering(c, () -> AuditorFactory.setup(c), AuditorFactory.decoder(c))
            .render(at, target.eventId, out, ProgressBars.on(err), err::println);
    stdout.println(written.page());
    written.images().forEach(stdout::println);
    stdout.flush();
    err.flush();
    return 0;
  }
}
