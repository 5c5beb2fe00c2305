package org.vitaudit.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vitaudit.engine.CutOptions;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.ModelSidecar;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.model.graph.ResidualSource;

/**
 * The engine's settings read from the configuration, the one way every command and the stream turn
 * keys into a model setup, engine options and an explain request.
 */
public final class EngineSettings {
  private EngineSettings() {}

  /**
   * The configured model (model.path, else the bundled demo model) with its preprocessing and
   * labels.
   */
  public static ModelSetup setup(AppConfig config) {
    return ModelSetup.resolve(
        bundle(config),
        overrides(config),
        optional(config, AppConfig.MODEL_LABELS_FILE_CONFIG).map(Path::of));
  }

  /** The model file the configuration names, or the bundled demo model. */
  private static ModelBundle bundle(AppConfig config) {
    return ModelBundle.fileOrDemo(optional(config, AppConfig.MODEL_PATH_CONFIG).map(Path::of));
  }

  /** The preprocessing keys that are set, to apply over the model.json's. */
  public static PreprocessingOverrides overrides(AppConfig config) {
    return new PreprocessingOverrides(
        optional(config, AppConfig.PREPROCESS_SIZE_CONFIG),
        optional(config, AppConfig.PREPROCESS_RESIZE_CONFIG),
        optional(config, AppConfig.PREPROCESS_CROP_CONFIG),
        optional(config, AppConfig.PREPROCESS_CHANNELS_CONFIG),
        optional(config, AppConfig.PREPROCESS_MEAN_CONFIG),
        optional(config, AppConfig.PREPROCESS_STD_CONFIG));
  }

  public static EngineOptions engineOptions(AppConfig config, ModelSetup setup) {
    return engineOptions(config, setup.inputShape(), setup.labels(), setup.bundle().sidecar());
  }

  /**
   * The options for a model fed {@code inputShape} tensors, whose sidecar may name the cut and the
   * grid.
   */
  public static EngineOptions engineOptions(
      AppConfig config, int[] inputShape, List<String> labels, ModelSidecar sidecar) {
    CutOptions cut =
        CutOptions.requested(
            optional(config, AppConfig.SALIENCY_CUT_NODE_CONFIG),
            sidecar.cutNode(),
            config.getInt(AppConfig.SALIENCY_BLOCK_CONFIG),
            config.getChoice(AppConfig.SALIENCY_RESIDUAL_CONFIG, ResidualSource.class));
    return new EngineOptions(
        inputShape,
        labels,
        Device.parse(config.getString(AppConfig.DEVICE_CONFIG)),
        cut,
        sidecar.grid(),
        config.getInt(AppConfig.SALIENCY_MAX_H_BATCH_CONFIG),
        config.getChoice(AppConfig.ENGINE_H_MODE_CONFIG, HMode.class),
        config.getInt(AppConfig.ONNX_INTRA_OP_THREADS_CONFIG),
        config.getBoolean(AppConfig.ONNX_INTRA_OP_SPINNING_CONFIG));
  }

  /** The engine on the configured model, which the caller closes. */
  public static SaliencyEngine open(AppConfig config, ModelSetup setup) {
    return SaliencyEngine.open(setup.bundle(), engineOptions(config, setup));
  }

  public static MaskSpec masks(AppConfig config) {
    return new MaskSpec(
        config.getChoice(AppConfig.SALIENCY_VARIANT_CONFIG, MaskKernel.class),
        config.getBoolean(AppConfig.SALIENCY_KEEP_PREFIX_CONFIG));
  }

  /** Maps for the configured top-k classes and for {@code classes}. */
  public static ExplainRequest request(AppConfig config, List<Integer> classes) {
    return new ExplainRequest(
        masks(config),
        config.getChoice(AppConfig.SALIENCY_SCORE_CONFIG, ScoreMode.class),
        config.getInt(AppConfig.SALIENCY_TOP_K_CONFIG),
        classes);
  }

  private static Optional<String> optional(AppConfig config, String key) {
    String v = config.getString(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
