package org.vitaudit.testing;

import java.util.List;
import java.util.Map;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.model.ModelSidecar;

/**
 * Engine options as a user gets them without settings: the configuration's defaults, written once
 * there.
 */
public final class DefaultOptions {
  private DefaultOptions() {}

  public static EngineOptions engine(int[] inputShape, List<String> labels) {
    return EngineSettings.engineOptions(
        new AppConfig(Map.of()), inputShape, labels, ModelSidecar.empty());
  }
}
