package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.vitaudit.bench.LatencyBench;
import org.vitaudit.bench.ProcessMemory;
import org.vitaudit.engine.Classifier;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.ModelSidecar;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.model.synthetic.SyntheticVit;
import org.vitaudit.model.synthetic.VitShape;
import org.vitaudit.serde.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: what saliency costs next to plain inference, measured side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures per-image latency of (a) prediction only, (b) prediction + saliency with the"
        + " generic H, (c) prediction + saliency with the fast H, in one process on the same inputs after"
        + " warm-up, and prints medians, p95, the ratios b/a and c/a, and peak memory."})
final class BenchCommand implements Callable<Integer> {
  private static final long EXTERNAL_DATA_ABOVE_BYTES = 1L << 30;

  @Mixin ModelOptions model;
  @Mixin ClassNamesOption classNames;
  @Mixin SaliencyOptions saliency;

  @Option(names = "--synthetic", paramLabel = "NAME",
      description = {"Build a ViT with random weights (patch 16, 224x224, depth 12) instead of --model:"
          + " deit-tiny, deit-small, deit-base (timm layout, head on CLS); at deit-small's size,"
          + " hf-vit-small (Hugging Face attention: separate q/k/v, scores divided after QK^T, Dropout"
          + " after the softmax; head on CLS), dinov2-small (head on CLS concatenated with the mean of the"
          + " patch tokens), meanpool-small (no CLS; mean of all tokens, a norm, the head)."})
  String synthetic;

  @Option(names = "--images", paramLabel = "DIR", description = "Images to run (JPEG, PNG, BMP, GIF).")
  Path images;

  @Option(names = "--scenes", paramLabel = "N", defaultValue = "16",
      description = "Without --images: N generated scenes (default: ${DEFAULT-VALUE}).")
  int scenes;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "Times each image is measured (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--stream", description = "Instead: events per second through a real broker (in-process unless"
      + " --bootstrap-servers), with and without micro-batching.")
  boolean stream;

  @Option(names = "--stream-events", paramLabel = "N", defaultValue = "300",
      description = "Events per --stream run (default: ${DEFAULT-VALUE}).")
  int streamEvents;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16",
      description = "Micro-batch size of the batched --stream run (default: ${DEFAULT-VALUE}).")
  int batch;

  /** With --stream: --config, --bootstrap-servers (an existing cluster instead of an in-process one), --set. */
  @Mixin ConfigOptions kafka;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (stream) {
      return streamBench();
    }
    ModelSetup setup = synthetic == null ? model.setup(classNames.file()) : syntheticSetup();
    PrintWriter err = spec.commandLine().getErr();
    err.println("bench: " + setup.bundle().name() + " on " + model.device);
    var options = model.engineOptions(setup);
    List<float[]> inputs = inputs(setup);
    try (Classifier plain = new Classifier(setup.bundle(), setup.inputShape(), options.device(), options.intraOpThreads());
        SaliencyEngine generic = SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.GENERIC));
        SaliencyEngine fast = SaliencyEngine.open(setup.bundle(), options.withHMode(HMode.AUTO))) {
      ExplainRequest request = saliency.request(generic.facts());
      boolean hasFast = fast.hKind(request.masks()) == HKind.FAST;
      LatencyBench bench = new LatencyBench(plain, generic, hasFast ? Optional.of(fast) : Optional.empty(), request);
      int total = inputs.size() * rounds;
      LatencyBench.Result r = bench.run(inputs, warmup, rounds, done -> {
        if (done % Math.max(1, total / 10) == 0 || done == total) {
          err.printf(Locale.ROOT, "\rmeasured %d/%d", done, total);
          err.flush();
        }
      });
      err.println();
      double peak = ProcessMemory.peakMiB();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(jsonOf(setup, generic, r, peak)));
      } else {
        table(out, setup, generic, r, peak);
      }
    }
    return 0;
  }

  /** The stream's throughput with batches of 1 and of {@code --batch}, side by side on one broker. */
  private int streamBench() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    org.vitaudit.kafka.EmbeddedKafka broker =
        kafka.bootstrapServers == null ? org.vitaudit.kafka.EmbeddedKafka.start() : null;
    try {
      java.util.Map<String, String> base = new java.util.HashMap<>(kafka.load().originalsStrings());
      base.put(org.vitaudit.config.AppConfig.DEVICE_CONFIG, model.device);
      base.put(org.vitaudit.config.AppConfig.REPLICATION_FACTOR_CONFIG, broker != null ? "1" : "-1");
      if (model.model != null) {
        base.put(org.vitaudit.config.AppConfig.MODEL_PATH_CONFIG, model.model.toString());
      }
      var bench = new org.vitaudit.bench.StreamThroughputBench(
          broker != null ? broker.bootstrapServers() : kafka.bootstrapServers, base);
      err.println("stream throughput: " + streamEvents + " events, micro-batches of 1 then " + batch);
      var single = bench.run(1, streamEvents);
      var batched = bench.run(batch, streamEvents);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("events", single.events() + 1);
        o.put("events_per_s_unbatched", round(single.eventsPerSecond()));
        o.put("events_per_s_batched", round(batched.eventsPerSecond()));
        o.put("batch", batch);
        o.put("speedup", round(batched.eventsPerSecond() / single.eventsPerSecond()));
        out.println(new ObjectMapper().writeValueAsString(o));
      } else {
        out.printf(Locale.ROOT, "%-28s %12s%n", "micro-batch", "events/s");
        out.printf(Locale.ROOT, "%-28s %12.1f%n", "1 (off)", single.eventsPerSecond());
        out.printf(Locale.ROOT, "%-28s %12.1f%n", String.valueOf(batch), batched.eventsPerSecond());
        out.printf(Locale.ROOT, "speed-up %.2fx%n", batched.eventsPerSecond() / single.eventsPerSecond());
      }
      return 0;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /**
   * A model over 1 GiB of weights keeps them in an external data file in a temporary folder (one
   * protobuf cannot exceed 2 GB), as a dynamo export of such a model does; the folder goes at exit.
   */
  private ModelSetup syntheticSetup() throws IOException {
    VitShape shape = VitShape.named(synthetic);
    ModelSidecar sidecar = ModelSidecar.empty();
    String name = shape.name() + "-synthetic";
    ModelBundle bundle;
    if (4 * shape.parameters() > EXTERNAL_DATA_ABOVE_BYTES) {
      Path dir = Files.createTempDirectory("vit-audit-" + shape.name());
      Path data = dir.resolve("model.onnx.data");
      dir.toFile().deleteOnExit();
      data.toFile().deleteOnExit();
      byte[] onnx = SyntheticVit.build(shape, 42, data).toByteArray();
      spec.commandLine().getErr().printf(Locale.ROOT, "bench: %s has %,d parameters; weights in %s (%,d MiB)%n",
          shape.name(), shape.parameters(), data, Files.size(data) >> 20);
      bundle = ModelBundle.inMemory(name, onnx, sidecar, new ExternalData(Optional.of(dir), List.of("model.onnx.data")));
    } else {
      bundle = ModelBundle.inMemory(name, SyntheticVit.build(shape, 42).toByteArray(), sidecar);
    }
    return ModelSetup.resolve(bundle, model.overrides(), Optional.empty());
  }

  private List<float[]> inputs(ModelSetup setup) throws IOException {
    Preprocessor pre = new Preprocessor(setup.preprocessing());
    List<float[]> out = new ArrayList<>();
    if (images != null) {
      ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
      try (Stream<Path> files = Files.list(images)) {
        for (Path p : files.sorted().toList()) {
          try {
            out.add(pre.prepare(decoder.decode(Files.readAllBytes(p))).tensor());
          } catch (ImageRejectedException e) {
            spec.commandLine().getErr().println("skipping " + p + ": " + e.getMessage());
          }
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no readable image in " + images);
      }
      return out;
    }
    if (scenes < 1) {
      throw new IllegalArgumentException("--scenes must be at least 1");
    }
    return BenchScenes.tensors(scenes, pre);
  }

  private static ObjectNode jsonOf(ModelSetup setup, SaliencyEngine engine, LatencyBench.Result r, double peak) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("model", setup.bundle().name());
    o.put("provider", engine.facts().provider());
    o.put("images", r.images());
    o.put("predict_ms", round(r.predict().median()));
    o.put("generic_ms", round(r.generic().median()));
    if (r.fast().isPresent()) {
      o.put("fast_ms", round(r.fast().get().median()));
    } else {
      o.putNull("fast_ms");
    }
    o.put("ratio_generic", round(r.ratioGeneric()));
    if (r.ratioFast().isPresent()) {
      o.put("ratio_fast", round(r.ratioFast().get()));
    } else {
      o.putNull("ratio_fast");
    }
    ObjectNode p95 = o.putObject("p95_ms");
    p95.put("predict", round(r.predict().at(95)));
    p95.put("generic", round(r.generic().at(95)));
    r.fast().ifPresent(f -> p95.put("fast", round(f.at(95))));
    o.put("images_per_s_fast", r.fast().map(f -> round(1000 / f.median())).orElse(null));
    o.put("peak_rss_mib", Math.round(peak));
    return o;
  }

  private static void table(PrintWriter out, ModelSetup setup, SaliencyEngine engine, LatencyBench.Result r, double peak) {
    out.printf(Locale.ROOT, "model %s on %s, %d measurements per mode%n", setup.bundle().name(),
        engine.facts().provider(), r.images());
    out.printf(Locale.ROOT, "%-36s %10s %10s %8s%n", "mode", "median ms", "p95 ms", "ratio");
    row(out, "(a) prediction only", r.predict(), 1.0);
    row(out, "(b) prediction + saliency, generic H", r.generic(), r.ratioGeneric());
    if (r.fast().isPresent()) {
      row(out, "(c) prediction + saliency, fast H", r.fast().get(), r.ratioFast().orElseThrow());
    } else {
      out.println("(c) fast H: not available for this model (see the log line above)");
    }
    out.printf(Locale.ROOT, "peak resident memory %.0f MiB%n", peak);
  }

  private static void row(PrintWriter out, String name, Percentiles p, double ratio) {
    out.printf(Locale.ROOT, "%-36s %10.2f %10.2f %8.2f%n", name, p.median(), p.at(95), ratio);
  }

  private static double round(double v) {
    return JsonFields.round(v, 3);
  }
}
