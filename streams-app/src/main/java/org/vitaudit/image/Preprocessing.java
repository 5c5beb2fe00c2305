package org.vitaudit.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How an image becomes the model's input tensor: resize the shorter side (bilinear), centre-crop,
 * then scale to the model size if it still differs; channels; (pixel/255 - mean) / std.
 *
 * @param height model input height
 * @param width model input width
 * @param resizeShorter shorter side after resizing, or empty for no resize
 * @param cropHeight centre crop height, 0 for no crop
 * @param cropWidth centre crop width, 0 for no crop
 */
public record Preprocessing(
    int height,
    int width,
    Optional<Integer> resizeShorter,
    int cropHeight,
    int cropWidth,
    Channels channels,
    float[] mean,
    float[] std) {

  /** ImageNet's usual evaluation transform. */
  public static final Preprocessing IMAGENET =
      new Preprocessing(
          224,
          224,
          Optional.of(256),
          224,
          224,
          Channels.RGB,
          new float[] {0.485f, 0.456f, 0.406f},
          new float[] {0.229f, 0.224f, 0.225f});

  public enum Channels {
    RGB(3),
    GRAY(1);

    private final int count;

    Channels(int count) {
      this.count = count;
    }

    public int count() {
      return count;
    }

    public static Channels parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "rgb" -> RGB;
        case "gray", "grey", "l" -> GRAY;
        default ->
            throw new IllegalArgumentException("channels must be rgb or gray, not '" + s + "'");
      };
    }
  }

  public Preprocessing {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "model input size must be positive, not " + height + "x" + width);
    }
    if (resizeShorter.isPresent() && resizeShorter.get() < 1) {
      throw new IllegalArgumentException("resize must be a positive size or none");
    }
    if (cropHeight < 0 || cropWidth < 0) {
      throw new IllegalArgumentException("crop must be HxW or none");
    }
    mean = perChannel("mean", mean, channels);
    std = perChannel("std", std, channels);
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            "std values must be positive, not " + Arrays.toString(std));
      }
    }
  }

  /** One value broadcasts to every channel, so {@code --mean 0.5} works for RGB too. */
  private static float[] perChannel(String what, float[] values, Channels channels) {
    if (values.length == channels.count()) {
      return values.clone();
    }
    if (values.length == 1) {
      float[] out = new float[channels.count()];
      Arrays.fill(out, values[0]);
      return out;
    }
    throw new IllegalArgumentException(
        what
            + " needs 1 or "
            + channels.count()
            + " values for "
            + channels.name().toLowerCase(Locale.ROOT)
            + ", not "
            + values.length);
  }

  public boolean crops() {
    return cropHeight > 0;
  }

  public Preprocessing withSize(int h, int w) {
    return new Preprocessing(h, w, resizeShorter, cropHeight, cropWidth, channels, mean, std);
  }

  public Preprocessing withResize(Optional<Integer> r) {
    return new Preprocessing(height, width, r, cropHeight, cropWidth, channels, mean, std);
  }

  public Preprocessing withCrop(int h, int w) {
    return new Preprocessing(height, width, resizeShorter, h, w, channels, mean, std);
  }

  /** Changing channels keeps a single mean/std value or the defaults' first. */
  public Preprocessing withChannels(Channels c) {
    float[] m = c == channels ? mean : new float[] {mean[0]};
    float[] s = c == channels ? std : new float[] {std[0]};
    return new Preprocessing(height, width, resizeShorter, cropHeight, cropWidth, c, m, s);
  }

  public Preprocessing withMean(float[] m) {
    return new Preprocessing(height, width, resizeShorter, cropHeight, cropWidth, channels, m, std);
  }

  public Preprocessing withStd(float[] s) {
    return new Preprocessing(
        height, width, resizeShorter, cropHeight, cropWidth, channels, mean, s);
  }

  /** Parses {@code HxW} (or a single {@code N} for a square). */
  public static int[] parseSize(String s) {
    String[] parts = s.toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 1) {
        int n = Integer.parseInt(parts[0].trim());
        return new int[] {n, n};
      }
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("expected a size as HxW (e.g. 224x224), not '" + s + "'");
  }

  public static float[] parseFloats(String s) {
    String[] parts = s.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected numbers separated by commas, not '" + s + "'");
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p
        && p.height == height
        && p.width == width
        && p.resizeShorter.equals(resizeShorter)
        && p.cropHeight == cropHeight
        && p.cropWidth == cropWidth
        && p.channels == channels
        && Arrays.equals(p.mean, mean)
        && Arrays.equals(p.std, std);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        height,
        width,
        resizeShorter,
        cropHeight,
        cropWidth,
        channels,
        Arrays.hashCode(mean),
        Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return "size "
        + height
        + "x"
        + width
        + ", resize "
        + resizeShorter.map(String::valueOf).orElse("none")
        + ", crop "
        + (crops() ? cropHeight + "x" + cropWidth : "none")
        + ", "
        + channels.name().toLowerCase(Locale.ROOT)
        + ", mean "
        + Arrays.toString(mean)
        + ", std "
        + Arrays.toString(std);
  }
}
