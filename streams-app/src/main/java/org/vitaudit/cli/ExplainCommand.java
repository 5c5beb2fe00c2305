package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.ClassSaliency;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.Explanation;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.RankedClass;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.ModelInput;
import org.vitaudit.image.OverlayRenderer;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.serde.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: one JSON line per image with predictions and saliency maps, and optional
 * overlays.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Classifies images and explains each prediction with a ViT-ReciproCAM saliency map.",
      "Prints one JSON object per image on stdout; logs go to stderr."
    })
final class ExplainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin SettingsOptions settings;
  @Mixin ModelOptions model;
  @Mixin ClassNamesOption classNames;
  @Mixin SaliencyOptions saliency;

  @Option(
      names = "--class",
      paramLabel = "C",
      description = "Also a map for this class (label or number); repeatable.")
  List<String> classes = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write a PNG overlay per image and class here.")
  Path out;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG, PNG, BMP or GIF files.")
  List<Path> images;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    AppConfig config = settings.load(model, classNames, saliency);
    ModelSetup setup = EngineSettings.setup(config);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (out != null) {
      Files.createDirectories(out);
    }
    int failures = 0;
    try (SaliencyEngine engine = EngineSettings.open(config, setup)) {
      ExplainRequest request =
          EngineSettings.request(config, classes.stream().map(engine.facts()::classOf).toList());
      ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
      Preprocessor preprocessor = new Preprocessor(setup.preprocessing());
      for (Path image : images) {
        try {
          ModelInput input = preprocessor.prepare(decoder.decode(read(image)));
          Explanation e = engine.explain(input.tensor(), request);
          stdout.println(JSON.writeValueAsString(json(image, engine.facts(), e)));
          stdout.flush();
          if (out != null) {
            writeOverlays(image, input, e, engine.facts());
          }
        } catch (ImageRejectedException | IOException ex) {
          failures++;
          stderr.println("error: " + image + ": " + ex.getMessage());
          stderr.flush();
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private static byte[] read(Path image) throws IOException {
    if (!Files.isRegularFile(image)) {
      throw new IOException("no such file");
    }
    return Files.readAllBytes(image);
  }

  static ObjectNode json(Path image, ModelFacts facts, Explanation e) {
    ObjectNode root = JSON.createObjectNode();
    root.put("image", image.toString());
    ObjectNode m = root.putObject("model");
    m.put("sha256", facts.sha256());
    m.putArray("grid").add(facts.layout().gridHeight()).add(facts.layout().gridWidth());
    m.put("cut", facts.cutNode());
    m.put("residual", facts.residual().cliName());
    ArrayNode preds = root.putArray("predictions");
    for (RankedClass p : e.predictions()) {
      preds
          .addObject()
          .put("class", p.classIndex())
          .put("label", p.label())
          .put("probability", p.probability());
    }
    ArrayNode maps = root.putArray("saliency");
    for (ClassSaliency s : e.maps()) {
      ObjectNode o =
          maps.addObject()
              .put("class", s.classIndex())
              .put("label", facts.label(s.classIndex()))
              .put("height", s.height())
              .put("width", s.width());
      ArrayNode values = o.putArray("values");
      for (float v : s.values()) {
        values.add(v);
      }
    }
    root.putObject("timings_ms").put("g", round(e.gMillis())).put("h", round(e.hMillis()));
    return root;
  }

  private void writeOverlays(Path image, ModelInput input, Explanation e, ModelFacts facts)
      throws IOException {
    String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    for (ClassSaliency s : e.maps()) {
      String label = facts.label(s.classIndex()).replaceAll("[^A-Za-z0-9_.-]", "_");
      Path file = out.resolve(stem + "_class" + s.classIndex() + "_" + label + ".png");
      ImageIO.write(
          OverlayRenderer.render(input.view(), s.values(), s.height(), s.width()),
          "png",
          file.toFile());
    }
  }

  private static double round(double ms) {
    return JsonFields.round(ms, 3);
  }
}
