package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.vitaudit.bench.BenchInputs;
import org.vitaudit.bench.LatencyBench;
import org.vitaudit.bench.LatencyReport;
import org.vitaudit.bench.ResidualBench;
import org.vitaudit.bench.SoakBench;
import org.vitaudit.bench.SoakPlot;
import org.vitaudit.bench.SoakResult;
import org.vitaudit.bench.StreamComparison;
import org.vitaudit.bench.StreamThroughputBench;
import org.vitaudit.bench.SyntheticModels;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: what saliency costs next to plain inference, measured side by side. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures per-image latency of (a) prediction only, (b) prediction + saliency with the"
          + " generic H, (c) prediction + saliency with the fast H, in one process on the same"
          + " inputs after warm-up, beside ONNX Runtime alone on tensors prepared beforehand, and"
          + " prints medians, p95, the ratios b/a, c/a and a/bare, peak memory, and one"
          + " prediction's stages from the image's bytes to its logits."
    })
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin ClassNamesOption classNames;
  @Mixin SaliencyOptions saliency;

  @Option(
      names = "--synthetic",
      paramLabel = "NAME",
      description = {
        "Build a ViT with random weights (patch 16, 224x224, depth 12) instead of --model:"
            + " deit-tiny, deit-small, deit-base (timm layout, head on CLS); at deit-small's size,"
            + " hf-vit-small (Hugging Face attention: separate q/k/v, scores divided after QK^T,"
            + " Dropout after the softmax; head on CLS), dinov2-small (head on CLS concatenated"
            + " with the mean of the patch tokens), meanpool-small (no CLS; mean of all tokens, a"
            + " norm, the head)."
      })
  String synthetic;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "Images to run (JPEG, PNG, BMP, GIF).")
  Path images;

  @Option(
      names = "--scenes",
      paramLabel = "N",
      defaultValue = "16",
      description = "Without --images: N generated scenes (default: ${DEFAULT-VALUE}).")
  int scenes;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "3",
      description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "2",
      description = "Times each image is measured (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--each-residual",
      description =
          "Instead of (b) and (c): (a) next to prediction + saliency under each residual reading"
              + " (masked-features, masked-input, block-input), each with the H auto picks, side by"
              + " side in one run.")
  boolean eachResidual;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(
      names = "--stream",
      description =
          "Instead: events per second through a real broker (in-process unless"
              + " --bootstrap-servers), with and without micro-batching, each next to the"
              + " engine's own rate on the same events without Kafka.")
  boolean stream;

  @Option(
      names = "--stream-events",
      paramLabel = "N",
      defaultValue = "300",
      description = "Events per --stream run (default: ${DEFAULT-VALUE}).")
  int streamEvents;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "16",
      description = "Micro-batch size of the batched --stream run (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--stream-rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "With --stream: rounds of engine alone, stream, engine alone per micro-batch size; the"
              + " figures are medians over them (default: ${DEFAULT-VALUE}).")
  int streamRounds;

  @Option(
      names = "--stream-warm-up",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "With --stream: at most N unmeasured rounds first, fewer where the JIT compilers go"
              + " quiet sooner (work under 5 % of a round, or no less than in the round before)"
              + " (default: ${DEFAULT-VALUE}).")
  int streamWarmUp;

  /**
   * With --stream: --config, --bootstrap-servers (an existing cluster instead of an in-process
   * one), --set.
   */
  @Mixin ConfigOptions kafka;

  @Option(
      names = "--soak",
      paramLabel = "N",
      description =
          "Instead: N generated events (a few corrupt) through one application instance on a real"
              + " broker, memory (heap after GC, resident set) sampled every --soak-every events.")
  Integer soak;

  @Option(
      names = "--soak-engine",
      paramLabel = "N",
      description =
          "Instead: N explains on the engine alone, a new engine every --reopen-every, memory"
              + " sampled every --soak-every explains.")
  Integer soakEngine;

  @Option(
      names = "--soak-every",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Sampling step of the soaks (default: ${DEFAULT-VALUE}).")
  int soakEvery;

  @Option(
      names = "--reopen-every",
      paramLabel = "N",
      defaultValue = "500",
      description = "With --soak-engine: explains per engine (default: ${DEFAULT-VALUE}).")
  int reopenEvery;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "With a soak: also a chart of it.")
  Path plot;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AppConfig config = kafka.load(model, classNames, saliency);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (soak != null) {
      return print(
          SoakBench.stream(
              config.originalsStrings(),
              Optional.ofNullable(kafka.bootstrapServers),
              soak,
              soakEvery,
              done -> progress(err, "events", done, soak)),
          "stream soak: one instance, " + soak + " events");
    }
    if (stream) {
      err.println(
          "stream throughput: "
              + streamEvents
              + " events, micro-batches of 1 and "
              + batch
              + ", "
              + streamRounds
              + " rounds, each against the engine alone");
      StreamComparison c =
          StreamThroughputBench.sideBySide(
              config.originalsStrings(),
              Optional.ofNullable(kafka.bootstrapServers),
              streamEvents,
              batch,
              streamRounds,
              streamWarmUp,
              err::println);
      if (json) {
        out.println(c.json());
      } else {
        c.table(out);
      }
      return 0;
    }
    ModelSetup setup =
        synthetic == null
            ? EngineSettings.setup(config)
            : ModelSetup.resolve(
                SyntheticModels.build(synthetic, err::println),
                EngineSettings.overrides(config),
                Optional.empty());
    EngineOptions options = EngineSettings.engineOptions(config, setup);
    err.println("bench: " + setup.bundle().name() + " on " + options.device());
    Preprocessor pre = new Preprocessor(setup.preprocessing());
    List<BenchInputs.Input> inputs =
        images != null
            ? BenchInputs.folder(images, pre, err::println)
            : BenchInputs.scenes(scenes, pre);
    if (soakEngine != null) {
      return print(
          SoakBench.engine(
              setup,
              options,
              EngineSettings.request(config, List.of()),
              BenchInputs.tensors(inputs),
              soakEngine,
              soakEvery,
              reopenEvery,
              done -> progress(err, "explains", done, soakEngine)),
          "engine soak: " + setup.bundle().name());
    }
    int total = inputs.size() * rounds;
    Consumer<Integer> measured =
        done -> {
          if (done % Math.max(1, total / 10) == 0 || done == total) {
            err.printf(Locale.ROOT, "\rmeasured %d/%d", done, total);
            err.flush();
          }
        };
    if (eachResidual) {
      ResidualBench.Report report =
          ResidualBench.measure(
              setup,
              options,
              EngineSettings.request(config, List.of()),
              inputs.stream().map(BenchInputs.Input::tensor).toList(),
              warmup,
              rounds,
              measured);
      return print(report.json(), report::table);
    }
    LatencyReport report =
        LatencyBench.measure(
            setup,
            options,
            EngineSettings.request(config, List.of()),
            inputs,
            warmup,
            rounds,
            measured);
    return print(report.json(), report::table);
  }

  /** A latency report after the progress line: JSON with --json, else its table. */
  private int print(ObjectNode report, Consumer<PrintWriter> table) throws IOException {
    spec.commandLine().getErr().println();
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(report));
    } else {
      table.accept(spec.commandLine().getOut());
    }
    return 0;
  }

  private static void progress(PrintWriter err, String what, long done, long total) {
    err.printf(Locale.ROOT, "\r%s %d/%d", what, done, total);
    err.flush();
  }

  private int print(SoakResult result, String title) throws IOException {
    spec.commandLine().getErr().println();
    if (json) {
      spec.commandLine().getOut().println(result.json());
    } else {
      result.table(spec.commandLine().getOut());
    }
    if (plot != null) {
      SoakPlot.write(result, title, plot);
    }
    return 0;
  }
}
