package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.evaluation.Evaluation;
import org.vitaudit.evaluation.EvaluationReport;
import org.vitaudit.evaluation.EvaluationVariant;
import org.vitaudit.evaluation.LabelledImage;
import org.vitaudit.evaluation.LabelledImages;
import org.vitaudit.evaluation.SaliencyMethod;
import org.vitaudit.evaluation.TwoObjectPointing;
import org.vitaudit.evaluation.VariantResult;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.serde.JsonFields;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: the paper's Table 1 metrics, the pointing game and accuracy for each method.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how faithful the maps are: Average Drop, Average Increase, Coherency, Complexity"
          + " and ADCC (Poppi et al.), the pointing game and the share of map energy in the"
          + " object's box where boxes are known, and top-1 accuracy, for each method variant."
          + " Without --model: the bundled demo model."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Mixin SettingsOptions settings;
  @Mixin ModelOptions model;

  @Option(
      names = "--class-names",
      paramLabel = "FILE",
      description =
          "The model's class names, one per line (here --labels is the ground truth):"
              + " model.labels.file.")
  String classNames;

  static final class Source {
    @ArgGroup(exclusive = false)
    Folder folder;

    @Option(names = "--scenes", paramLabel = "N", description = "N generated single-object scenes.")
    Integer scenes;
  }

  static final class Folder {
    @Option(
        names = "--images",
        paramLabel = "DIR",
        required = true,
        description = "Folder of the images.")
    Path images;

    @Option(
        names = "--labels",
        paramLabel = "CSV",
        required = true,
        description = "file,label[,x0,y0,x1,y1] per line, as the scenes command writes it.")
    Path labels;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "2000",
      description =
          "Scene seed for --scenes (default: ${DEFAULT-VALUE}; the demo model trained on others).")
  long seed;

  @Option(
      names = "--variants",
      paramLabel = "V,...",
      split = ",",
      description = "Methods to compare (default: all): ${COMPLETION-CANDIDATES}.",
      completionCandidates = VariantNames.class)
  List<String> variants = new ArrayList<>(Choices.names(EvaluationVariant.class));

  /** The names --help lists. */
  static final class VariantNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Choices.names(EvaluationVariant.class).iterator();
    }
  }

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(
      names = "--two-objects",
      description =
          "With --scenes: scenes with two objects of different classes; reports how often each"
              + " present class's map points at its own object (the paper's Figure 5).")
  boolean twoObjects;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Also write evaluation.json and evaluation.md here.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<EvaluationVariant> chosen =
        variants.stream()
            .map(v -> Choices.parse(EvaluationVariant.class, "--variants", v))
            .toList();
    AppConfig config =
        settings.load(
            model,
            loader -> loader.flag(AppConfig.MODEL_LABELS_FILE_CONFIG, classNames, "--class-names"));
    ModelSetup setup = EngineSettings.setup(config);
    EngineOptions options = EngineSettings.engineOptions(config, setup);
    PrintWriter err = spec.commandLine().getErr();
    if (twoObjects) {
      return twoObjects(setup, options);
    }
    try (SaliencyEngine engine = SaliencyEngine.open(setup.bundle(), options);
        SaliencyEngine block =
            chosen.stream().anyMatch(EvaluationVariant::needsBlockInputEngine)
                ? SaliencyEngine.open(setup.bundle(), EvaluationVariant.blockInputOptions(options))
                : null) {
      Preprocessor pre = new Preprocessor(setup.preprocessing());
      List<LabelledImage> images =
          source.scenes != null
              ? LabelledImages.fromScenes(
                  positive(source.scenes), seed, pre, engine.facts()::classOf)
              : LabelledImages.fromCsv(
                  source.folder.images,
                  source.folder.labels,
                  pre,
                  new ImageDecoder(ImageLimits.DEFAULT),
                  engine.facts()::classOf);
      List<SaliencyMethod> methods = chosen.stream().map(v -> v.method(engine, block)).toList();
      ProgressBar bar = new ProgressBar(err, "evaluating", images.size());
      EvaluationReport report =
          new Evaluation(
                  engine, methods, setup.preprocessing().height(), setup.preprocessing().width())
              .run(images, bar::update);
      String table = table(setup, report);
      String jsonText = new ObjectMapper().writeValueAsString(json(report));
      spec.commandLine().getOut().println(json ? jsonText : table);
      if (out != null) {
        Files.createDirectories(out);
        Files.writeString(out.resolve("evaluation.json"), jsonText + "\n");
        Files.writeString(out.resolve("evaluation.md"), table);
      }
    }
    return 0;
  }

  private int twoObjects(ModelSetup setup, EngineOptions options) {
    if (source.scenes == null) {
      throw new IllegalArgumentException("--two-objects goes with --scenes N");
    }
    int n = positive(source.scenes);
    try (SaliencyEngine engine = SaliencyEngine.open(setup.bundle(), options)) {
      ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "evaluating", n);
      var r =
          TwoObjectPointing.run(
              engine,
              new Preprocessor(setup.preprocessing()),
              MaskSpec.DEFAULT,
              n,
              seed,
              bar::update);
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("scenes", r.scenes());
      o.put("pointing_per_class", round(r.pointing()));
      o.put("pointing_chance", round(r.chance()));
      o.put("both_classes_in_top2", round(r.bothInTopTwo()));
      String text =
          String.format(
              Locale.ROOT,
              "%s, %d two-object scenes: each present class's map points at its"
                  + " object %.1f %% (chance %.1f %%); both classes in the top two %.1f %%%n",
              setup.bundle().name(),
              r.scenes(),
              r.pointing(),
              r.chance(),
              r.bothInTopTwo());
      spec.commandLine().getOut().print(json ? o + "\n" : text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private static int positive(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("--scenes must be at least 1");
    }
    return n;
  }

  static ObjectNode json(EvaluationReport report) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("images", report.images());
    JsonFields.put(o, "accuracy", report.accuracy());
    ArrayNode rows = o.putArray("variants");
    for (VariantResult v : report.variants()) {
      ObjectNode r =
          rows.addObject()
              .put("name", v.name())
              .put("drop", round(v.drop()))
              .put("increase", round(v.increase()))
              .put("coherency", round(v.coherency()))
              .put("complexity", round(v.complexity()))
              .put("adcc", round(v.adcc()));
      JsonFields.put(r, "pointing", v.pointing());
      JsonFields.put(r, "pointing_chance", v.pointingChance());
      JsonFields.put(r, "energy_in_box", v.energyInBox());
    }
    return o;
  }

  static String table(ModelSetup setup, EvaluationReport r) {
    StringWriter s = new StringWriter();
    PrintWriter p = new PrintWriter(s);
    p.printf(
        Locale.ROOT,
        "%s, %d images, top-1 accuracy %s%n%n",
        setup.bundle().name(),
        r.images(),
        r.accuracy().map(a -> String.format(Locale.ROOT, "%.1f %%", a)).orElse("n/a (no labels)"));
    p.println(
        "| method | Drop ↓ | Increase ↑ | Coherency ↑ | Complexity ↓ | ADCC ↑ | Pointing ↑ (chance)"
            + " | Energy in box ↑ |");
    p.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (VariantResult v : r.variants()) {
      p.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |%n",
          v.name(),
          v.drop(),
          v.increase(),
          v.coherency(),
          v.complexity(),
          v.adcc(),
          v.pointing()
              .map(
                  x ->
                      String.format(
                          Locale.ROOT, "%.1f (%.1f)", x, v.pointingChance().orElse(Double.NaN)))
              .orElse("n/a"),
          v.energyInBox().map(x -> String.format(Locale.ROOT, "%.1f", x)).orElse("n/a"));
    }
    p.println();
    p.println("All values in percent; ADCC is computed per image and averaged.");
    p.flush();
    return s.toString();
  }

  private static double round(double v) {
    return JsonFields.round(v, 2);
  }
}
