package org.vitaudit.engine;

import org.vitaudit.choice.Choice;

/** Which rows of the last block's output a model's head reads. */
public enum HeadKind implements Choice {
  /**
   * Only prefix tokens: CLS (and a distillation token), as timm, DeiT, Hugging Face ViT,
   * torchvision.
   */
  PREFIX("prefix"),
  /** Prefix tokens and every patch token: CLS next to the mean of the patches, as DINOv2. */
  PREFIX_AND_MEAN("prefix+mean"),
  /** Patch tokens only, pooled: a global-average-pool head, BEiT-style. */
  MEAN("mean"),
  /** Some other subset of rows. */
  OTHER("other");

  private final String label;

  HeadKind(String label) {
    this.label = label;
  }

  @Override
  public String cliName() {
    return label;
  }

  /** The kind from the rows read: {@code read[t]} for token t, prefix tokens first. */
  static HeadKind of(boolean[] read, int prefix) {
    int patches = 0;
    boolean anyPrefix = false;
    for (int t = 0; t < read.length; t++) {
      if (!read[t]) {
        continue;
      }
      if (t < prefix) {
        anyPrefix = true;
      } else {
        patches++;
      }
    }
    int cells = read.length - prefix;
    if (patches == 0) {
      return anyPrefix ? PREFIX : OTHER;
    }
    if (patches != cells) {
      return OTHER;
    }
    return anyPrefix ? PREFIX_AND_MEAN : MEAN;
  }
}
