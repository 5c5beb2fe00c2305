package org.vitaudit.app;

import java.util.List;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.EngineException;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.stream.Auditor;

/**
 * Opens the model the configuration names (the bundled demo model by default) as an {@link
 * Auditor}.
 */
public final class AuditorFactory {
  private AuditorFactory() {}

  /** The auditor and the engine behind it, which the caller closes. */
  public record Opened(Auditor auditor, SaliencyEngine engine) implements AutoCloseable {
    @Override
    public void close() {
      engine.close();
    }
  }

  /**
   * The configured model (model.path, else the bundled demo model) with its preprocessing and
   * labels.
   */
  public static ModelSetup setup(AppConfig config) {
    return EngineSettings.setup(config);
  }

  /** A decoder with the configured image limits. */
  public static ImageDecoder decoder(AppConfig config) {
    return new ImageDecoder(
        new ImageLimits(
            config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG),
            config.getLong(AppConfig.IMAGE_MAX_PIXELS_CONFIG)));
  }

  public static Opened open(AppConfig config) {
    ModelSetup setup = setup(config);
    SaliencyEngine engine = EngineSettings.open(config, setup);
    try {
      ExplainRequest request = EngineSettings.request(config, List.of());
      // Build the H now: the first record should not pay for it, nor find out then that it fails.
      engine.hKind(request.masks());
      Auditor auditor =
          new Auditor(
              engine,
              decoder(config),
              setup.preprocessing(),
              request,
              config.getDouble(AppConfig.QUALITY_SAMPLE_RATE_CONFIG));
      // The blank input must run now: a failure on an event is later told from a model that no
      // longer runs by running it again.
      auditor
          .probe()
          .ifPresent(
              e -> {
                throw new EngineException("the model fails on a blank input: " + e.getMessage(), e);
              });
      return new Opened(auditor, engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }
}
