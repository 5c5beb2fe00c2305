package org.vitaudit.model.synthetic;

import java.util.Locale;

/** The shape of a plain ViT: what {@code --synthetic} builds for benchmarks. */
public record VitShape(String name, int imageSize, int patch, int dim, int depth, int heads, int mlpRatio, int classes) {

  /** DeiT's published sizes: patch 16 at 224x224, depth 12, ImageNet's 1000 classes. */
  public static VitShape deit(String size) {
    return switch (size.toLowerCase(Locale.ROOT)) {
      case "deit-tiny" -> new VitShape("deit-tiny", 224, 16, 192, 12, 3, 4, 1000);
      case "deit-small" -> new VitShape("deit-small", 224, 16, 384, 12, 6, 4, 1000);
      case "deit-base" -> new VitShape("deit-base", 224, 16, 768, 12, 12, 4, 1000);
      default -> throw new IllegalArgumentException("--synthetic must be deit-tiny, deit-small or deit-base, not '"
          + size + "'");
    };
  }

  public int grid() {
    return imageSize / patch;
  }

  public int tokens() {
    return grid() * grid() + 1;
  }

  public int headDim() {
    return dim / heads;
  }
}
