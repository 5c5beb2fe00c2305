package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.PreparedModel;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.ExternalData;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.ModelSidecar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code split}: writes G, the generic H and a model.json describing the cut. */
@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    description = {
      "Splits a ViT ONNX model at LN1 of its last block.",
      "Writes g.onnx (the model plus F as an extra output), h.onnx (the tail with the masks inside,"
          + " inputs reciprocam_features [1,T,D] and chunk bounds) and model.json.",
      "With --residual masked-input or block-input, g.onnx also outputs the block input X and"
          + " h.onnx takes it as reciprocam_block_input [1,T,D]."
    })
final class SplitCommand implements Callable<Integer> {
  @Mixin SettingsOptions settings;
  @Mixin ModelOptions model;
  @Mixin ClassNamesOption classNames;
  @Mixin SaliencyOptions saliency;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    AppConfig config = settings.load(model, classNames, saliency);
    ModelSetup setup = EngineSettings.setup(config);
    Files.createDirectories(out);
    try (SaliencyEngine engine = EngineSettings.open(config, setup)) {
      // The engine ran G once for T, D and C, which fix the token layout the H graph is built for.
      ModelFacts facts = engine.facts();
      PreparedModel prepared = engine.prepared();
      MaskSpec masks = EngineSettings.masks(config);
      Files.write(out.resolve("g.onnx"), prepared.featureModel().toByteArray());
      Files.write(out.resolve("h.onnx"), prepared.genericH(masks, facts.layout()).toByteArray());
      ObjectNode json = ModelSidecar.toJson(facts.name(), setup.preprocessing(), facts.labels());
      json.put("cut_node", facts.cutNode());
      json.put("residual", facts.residual().cliName());
      // The method keys G and H were built for: opening the original model with this model.json
      // beside it gives the same cut without the flags.
      json.put(AppConfig.SALIENCY_BLOCK_CONFIG, config.getInt(AppConfig.SALIENCY_BLOCK_CONFIG));
      json.put(AppConfig.SALIENCY_RESIDUAL_CONFIG, facts.residual().cliName());
      json.put("tokens", facts.layout().tokens());
      json.put("dim", facts.dim());
      json.putArray("grid").add(facts.layout().gridHeight()).add(facts.layout().gridWidth());
      json.put("prefix_tokens", facts.layout().prefix());
      json.put("classes", facts.classes());
      json.put("masks", masks.variantName());
      json.put("sha256", facts.sha256());
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(out.resolve("model.json").toFile(), json);
      List<String> copied = copyExternalData(setup.bundle().externalData());
      spec.commandLine()
          .getErr()
          .println(
              "wrote g.onnx, h.onnx and model.json"
                  + (copied.isEmpty()
                      ? ""
                      : " (weights kept in " + String.join(", ", copied) + ", copied beside them)")
                  + " to "
                  + out);
    }
    return 0;
  }

  /**
   * G and H refer to the model's external data files by the same relative names, so the files go
   * beside them (a model over 2 GB cannot be written as one protobuf).
   */
  private List<String> copyExternalData(ExternalData external) throws IOException {
    for (String location : external.files()) {
      Path from = external.folder().orElseThrow().resolve(location);
      Path to = out.resolve(location);
      if (!Files.exists(to) || !Files.isSameFile(from, to)) {
        Files.createDirectories(to.toAbsolutePath().getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return external.files();
  }
}
