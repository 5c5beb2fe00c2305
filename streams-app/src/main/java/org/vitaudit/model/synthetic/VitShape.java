package org.vitaudit.model.synthetic;

import java.util.Locale;

/**
 * The shape of a plain ViT, and how its attention and head are laid out: what {@code --synthetic}
 * builds for benchmarks, so each kind of head the fast H serves can be timed at a real size.
 */
public record VitShape(
    String name,
    int imageSize,
    int patch,
    int dim,
    int depth,
    int heads,
    int mlpRatio,
    int classes,
    Attention attention,
    Head head) {

  /** The names {@link #named} knows, as {@code bench --help} lists them. */
  public static final String NAMES =
      "deit-tiny, deit-small, deit-base, hf-vit-small, dinov2-small, meanpool-small or vit-huge";

  /** How the attention is written, as the two common exporters' sources lay it out. */
  public enum Attention {
    /** timm: one fused qkv projection, q scaled before Q K^T. */
    TIMM,
    /**
     * Hugging Face ViT: separate q, k, v; scores divided by sqrt(dh) after Q K^T; Dropout after the
     * softmax.
     */
    HUGGING_FACE
  }

  /** What the head reads of the last block's output. */
  public enum Head {
    /** A CLS token; final norm over all tokens, head on the CLS row (DeiT, ViT). */
    CLS,
    /**
     * A CLS token; final norm, then the CLS row concatenated with the mean of the patch rows
     * (DINOv2).
     */
    CLS_AND_MEAN,
    /** No CLS token; the mean of all tokens, a norm, then the head (BEiT-style). */
    MEAN
  }

  /** A timm-style ViT with a CLS head. */
  public VitShape(
      String name,
      int imageSize,
      int patch,
      int dim,
      int depth,
      int heads,
      int mlpRatio,
      int classes) {
    this(name, imageSize, patch, dim, depth, heads, mlpRatio, classes, Attention.TIMM, Head.CLS);
  }

  /**
   * DeiT's published sizes (patch 16 at 224x224, depth 12, ImageNet's 1000 classes), and three
   * DeiT-small-sized variants: Hugging Face's attention, a DINOv2 head, a mean-pooled head.
   */
  public static VitShape named(String name) {
    VitShape small = new VitShape("deit-small", 224, 16, 384, 12, 6, 4, 1000);
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "deit-tiny" -> new VitShape("deit-tiny", 224, 16, 192, 12, 3, 4, 1000);
      case "deit-small" -> small;
      case "deit-base" -> new VitShape("deit-base", 224, 16, 768, 12, 12, 4, 1000);
      case "hf-vit-small" -> small.with("hf-vit-small", Attention.HUGGING_FACE, Head.CLS);
      case "dinov2-small" -> small.with("dinov2-small", Attention.TIMM, Head.CLS_AND_MEAN);
      case "meanpool-small" -> small.with("meanpool-small", Attention.TIMM, Head.MEAN);
      case "vit-huge" -> new VitShape("vit-huge", 224, 14, 1280, 32, 16, 4, 1000);
      default ->
          throw new IllegalArgumentException(
              "--synthetic must be " + NAMES + ", not '" + name + "'");
    };
  }

  public VitShape with(String newName, Attention a, Head h) {
    return new VitShape(newName, imageSize, patch, dim, depth, heads, mlpRatio, classes, a, h);
  }

  public int grid() {
    return imageSize / patch;
  }

  /** Prefix tokens: the CLS token, where the head has one. */
  public int prefix() {
    return head == Head.MEAN ? 0 : 1;
  }

  public int tokens() {
    return grid() * grid() + prefix();
  }

  /**
   * Parameters: patch embedding, CLS and position embedding, the blocks, the final norm and the
   * head.
   */
  public long parameters() {
    long d = dim;
    long block = 4 * d * d + 4 * d + 2 * mlpRatio * d * d + mlpRatio * d + d + 4 * d;
    long classifier = (head == Head.CLS_AND_MEAN ? 2 * d : d) * classes + classes;
    return 3L * patch * patch * d
        + d
        + (long) prefix() * d
        + (long) tokens() * d
        + depth * block
        + 2 * d
        + classifier;
  }

  public int headDim() {
    return dim / heads;
  }
}
