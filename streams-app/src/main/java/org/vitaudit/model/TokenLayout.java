package org.vitaudit.model;

/**
 * How a ViT's T tokens are laid out: prefix tokens first (CLS, distillation, registers), then the h
 * x w patch grid row-major.
 */
public record TokenLayout(int prefix, int gridHeight, int gridWidth) {
  public TokenLayout {
    if (prefix < 0 || gridHeight < 1 || gridWidth < 1) {
      throw new IllegalArgumentException(
          "bad token layout: prefix " + prefix + ", grid " + gridHeight + "x" + gridWidth);
    }
  }

  public int cells() {
    return gridHeight * gridWidth;
  }

  public int tokens() {
    return prefix + cells();
  }
}
