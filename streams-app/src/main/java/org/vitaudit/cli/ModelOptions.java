package org.vitaudit.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.vitaudit.engine.CutOptions;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.model.graph.ResidualSource;
import picocli.CommandLine.Option;

/** The options every command that opens a model shares: which model, how to feed it, where to run it. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "M.onnx",
      description = "ONNX image classifier (default: the bundled demo model). Its preprocessing and"
          + " labels come from <stem>.json or model.json beside it.")
  Path model;

  @Option(names = "--size", paramLabel = "HxW", description = "Model input size (overrides model.json).")
  String size;

  @Option(names = "--resize", paramLabel = "N|none", description = "Resize the shorter side to N (bilinear), or none.")
  String resize;

  @Option(names = "--crop", paramLabel = "HxW|none", description = "Centre crop, or none.")
  String crop;

  @Option(names = "--channels", paramLabel = "rgb|gray", description = "Input channels.")
  String channels;

  @Option(names = "--mean", paramLabel = "a[,b,c]", description = "Mean subtracted from pixel/255.")
  String mean;

  @Option(names = "--std", paramLabel = "a[,b,c]", description = "Std dividing (pixel/255 - mean).")
  String std;

  @Option(names = "--cut-node", paramLabel = "NAME",
      description = "Name of the last block's first LayerNorm node, instead of searching for it.")
  String cutNode;

  @Option(names = "--block", paramLabel = "N", defaultValue = "1",
      description = "Cut at the Nth pre-norm block from the end: 1 is the last (default, the paper's"
          + " choice), 2 the one before it (the authors' code).")
  int block;

  @Option(names = "--residual", paramLabel = "masked-features|masked-input|block-input",
      defaultValue = "masked-features",
      description = "What the cut block's first residual adds to the attention of each masked copy:"
          + " the masked features (default, the paper's equation 4), the block input masked the same"
          + " way (OpenVINO XAI), or the unmasked block input (the authors' code).")
  String residual;

  @Option(names = "--device", paramLabel = "cpu|cuda[:N]|auto", defaultValue = "cpu",
      description = "Execution provider (default: ${DEFAULT-VALUE}). cuda needs a -Pgpu build.")
  String device;

  @Option(names = "--max-h-batch", paramLabel = "N", defaultValue = "64",
      description = "Most masked copies H runs at once (default: ${DEFAULT-VALUE}).")
  int maxHBatch;

  @Option(names = "--h-mode", paramLabel = "auto|fast|generic", defaultValue = "auto",
      description = "Fast exact H where the block allows it, or the model's own tail (default: ${DEFAULT-VALUE}).")
  String hMode;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "ONNX Runtime intra-op threads (default: its own choice).")
  int threads;

  /** The model, its preprocessing, and its class names (from {@code labelsFile} where given). */
  ModelSetup setup(Optional<Path> labelsFile) {
    return ModelSetup.resolve(ModelBundle.fileOrDemo(Optional.ofNullable(model)), overrides(), labelsFile);
  }

  PreprocessingOverrides overrides() {
    return new PreprocessingOverrides(Optional.ofNullable(size), Optional.ofNullable(resize),
        Optional.ofNullable(crop), Optional.ofNullable(channels), Optional.ofNullable(mean),
        Optional.ofNullable(std));
  }

  EngineOptions engineOptions(ModelSetup setup) {
    CutOptions cut = CutOptions.requested(Optional.ofNullable(cutNode), setup.bundle().sidecar().cutNode(), block,
        ResidualSource.parse(residual));
    return new EngineOptions(setup.inputShape(), setup.labels(), Device.parse(device), cut,
        setup.bundle().sidecar().grid(), maxHBatch, HMode.parse(hMode), threads);
  }

  SaliencyEngine open(ModelSetup setup) {
    return SaliencyEngine.open(setup.bundle(), engineOptions(setup));
  }
}
