package org.vitaudit.cli;

import static org.vitaudit.config.AppConfig.SALIENCY_KEEP_PREFIX_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_SCORE_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_TOP_K_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_VARIANT_CONFIG;

import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The ViT-ReciproCAM method flags: kernel, prefix tokens, scores, how many classes get maps. */
public final class SaliencyOptions implements FlagSource {
  @Option(names = "--top-k", paramLabel = "K", descriptionKey = SALIENCY_TOP_K_CONFIG)
  String topK;

  @Option(names = "--variant", paramLabel = "KERNEL", descriptionKey = SALIENCY_VARIANT_CONFIG)
  String variant;

  @Option(
      names = "--no-cls-token",
      description =
          "Zero the prefix tokens (CLS, ...) in every masked copy: saliency.keep.prefix=false.")
  boolean noClsToken;

  @Option(names = "--score", paramLabel = "SCORE", descriptionKey = SALIENCY_SCORE_CONFIG)
  String score;

  @Override
  public ConfigLoader addTo(ConfigLoader loader) {
    return loader
        .flag(SALIENCY_TOP_K_CONFIG, topK, "--top-k")
        .flag(SALIENCY_VARIANT_CONFIG, variant, "--variant")
        .flag(SALIENCY_KEEP_PREFIX_CONFIG, noClsToken ? "false" : null, "--no-cls-token")
        .flag(SALIENCY_SCORE_CONFIG, score, "--score");
  }
}
