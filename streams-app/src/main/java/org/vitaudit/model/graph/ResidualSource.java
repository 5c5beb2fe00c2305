package org.vitaudit.model.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the first residual Add of the cut block adds to the attention of the masked features. The
 * public implementations of ViT-ReciproCAM disagree here (algorithm.md, "The split"); the seed's
 * reading is the default and the others are offered so their maps can be compared.
 */
public enum ResidualSource {
  /** The masked features themselves, {@code y = x~ + Attn(x~)}: seed equation 4 (OTX 1.x). */
  MASKED_FEATURES("masked-features"),
  /** The block input scaled by the same mask, {@code y = X * m + Attn(x~)} (OpenVINO XAI). */
  MASKED_INPUT("masked-input"),
  /** The unmasked block input, {@code y = X + Attn(x~)} (the authors' repository). */
  BLOCK_INPUT("block-input");

  private final String cliName;

  ResidualSource(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line, in configuration and in records. */
  public String cliName() {
    return cliName;
  }

  /** True where H needs the block input X besides F. */
  public boolean needsBlockInput() {
    return this != MASKED_FEATURES;
  }

  public static ResidualSource parse(String s) {
    for (ResidualSource r : values()) {
      if (r.cliName.equals(s.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("residual must be one of " + names() + ", not '" + s + "'");
  }

  public static String names() {
    return Arrays.stream(values()).map(ResidualSource::cliName).collect(Collectors.joining(", "));
  }
}
