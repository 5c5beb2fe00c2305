package org.vitaudit.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vitaudit.config.AppConfig;
import org.vitaudit.engine.CutOptions;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.stream.Auditor;

/** Opens the model the configuration names (the bundled demo model by default) as an {@link Auditor}. */
public final class AuditorFactory {
  private AuditorFactory() {}

  /** The auditor and the engine behind it, which the caller closes. */
  public record Opened(Auditor auditor, SaliencyEngine engine) implements AutoCloseable {
    @Override
    public void close() {
      engine.close();
    }
  }

  /** The configured model (model.path, else the bundled demo model) with its preprocessing and labels. */
  public static ModelSetup setup(AppConfig config) {
    String path = config.getString(AppConfig.MODEL_PATH_CONFIG);
    ModelBundle bundle = ModelBundle.fileOrDemo(path.isBlank() ? Optional.empty() : Optional.of(Path.of(path)));
    return ModelSetup.resolve(bundle, PreprocessingOverrides.NONE, Optional.empty());
  }

  /** A decoder with the configured image limits. */
  public static ImageDecoder decoder(AppConfig config) {
    return new ImageDecoder(new ImageLimits(config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG),
        config.getLong(AppConfig.IMAGE_MAX_PIXELS_CONFIG)));
  }

  public static Opened open(AppConfig config) {
    ModelSetup setup = setup(config);
    ModelBundle bundle = setup.bundle();
    EngineOptions options = new EngineOptions(setup.inputShape(), setup.labels(),
        Device.parse(config.getString(AppConfig.DEVICE_CONFIG)), cut(config, bundle), bundle.sidecar().grid(),
        config.getInt(AppConfig.SALIENCY_MAX_H_BATCH_CONFIG), HMode.parse(config.getString(AppConfig.ENGINE_H_MODE_CONFIG)),
        config.getInt(AppConfig.ONNX_INTRA_OP_THREADS_CONFIG));
    SaliencyEngine engine = SaliencyEngine.open(bundle, options);
    try {
      ExplainRequest request = request(config);
      // Build the H now: the first record should not pay for it, nor find out then that it fails.
      engine.hKind(request.masks());
      Auditor auditor = new Auditor(engine, decoder(config), setup.preprocessing(), request,
          config.getDouble(AppConfig.QUALITY_SAMPLE_RATE_CONFIG));
      return new Opened(auditor, engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  private static CutOptions cut(AppConfig config, ModelBundle bundle) {
    return CutOptions.requested(Optional.empty(), bundle.sidecar().cutNode(),
        config.getInt(AppConfig.SALIENCY_BLOCK_CONFIG),
        ResidualSource.parse(config.getString(AppConfig.SALIENCY_RESIDUAL_CONFIG)));
  }

  static ExplainRequest request(AppConfig config) {
    MaskKernel kernel = config.getString(AppConfig.SALIENCY_VARIANT_CONFIG).equals("dirac")
        ? MaskKernel.DIRAC : MaskKernel.GAUSSIAN;
    ScoreMode score = config.getString(AppConfig.SALIENCY_SCORE_CONFIG).equals("logits")
        ? ScoreMode.LOGITS : ScoreMode.SOFTMAX;
    return new ExplainRequest(new MaskSpec(kernel, config.getBoolean(AppConfig.SALIENCY_KEEP_PREFIX_CONFIG)), score,
        config.getInt(AppConfig.SALIENCY_TOP_K_CONFIG), List.of());
  }
}
