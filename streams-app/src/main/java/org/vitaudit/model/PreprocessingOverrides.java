package org.vitaudit.model;

import java.util.Locale;
import java.util.Optional;
import org.vitaudit.image.Preprocessing;

/**
 * Preprocessing settings given by a user (flags or configuration keys) on top of a model's sidecar,
 * in the flags' own syntax: {@code size HxW}, {@code resize N|none}, {@code crop HxW|none}, {@code
 * channels rgb|gray}, {@code mean a[,b,c]}, {@code std a[,b,c]}.
 */
public record PreprocessingOverrides(
    Optional<String> size,
    Optional<String> resize,
    Optional<String> crop,
    Optional<String> channels,
    Optional<String> mean,
    Optional<String> std) {

  public static final PreprocessingOverrides NONE =
      new PreprocessingOverrides(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public Preprocessing applyTo(Preprocessing base) {
    Preprocessing p = base;
    try {
      if (channels.isPresent()) {
        p = p.withChannels(Preprocessing.Channels.parse(channels.get()));
      }
      if (size.isPresent()) {
        int[] hw = Preprocessing.parseSize(size.get());
        p = p.withSize(hw[0], hw[1]);
      }
      if (resize.isPresent()) {
        p =
            p.withResize(
                isNone(resize.get()) ? Optional.empty() : Optional.of(parsePositive(resize.get())));
      }
      if (crop.isPresent()) {
        int[] hw = isNone(crop.get()) ? new int[] {0, 0} : Preprocessing.parseSize(crop.get());
        p = p.withCrop(hw[0], hw[1]);
      }
      if (mean.isPresent()) {
        p = p.withMean(Preprocessing.parseFloats(mean.get()));
      }
      if (std.isPresent()) {
        p = p.withStd(Preprocessing.parseFloats(std.get()));
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("preprocessing: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a value that is not in the syntax of its field ({@code size}, {@code resize}, {@code
   * crop}, {@code channels}, {@code mean} or {@code std}); blank means "not set" and passes. Only
   * the syntax: whether it fits the model's other settings is known when they are combined.
   */
  public static void checkSyntax(String field, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    switch (field) {
      case "size" -> Preprocessing.parseSize(value);
      case "resize" -> {
        if (!isNone(value)) {
          parsePositive(value);
        }
      }
      case "crop" -> {
        if (!isNone(value)) {
          Preprocessing.parseSize(value);
        }
      }
      case "channels" -> Preprocessing.Channels.parse(value);
      case "mean", "std" -> Preprocessing.parseFloats(value);
      default -> throw new IllegalArgumentException("no preprocessing field " + field);
    }
  }

  /** The syntax of a field, in words. */
  public static String syntax(String field) {
    return switch (field) {
      case "size" -> "HxW or N";
      case "resize" -> "N or none";
      case "crop" -> "HxW or none";
      case "channels" -> "rgb or gray";
      case "mean", "std" -> "a or a,b,c";
      default -> throw new IllegalArgumentException("no preprocessing field " + field);
    };
  }

  private static boolean isNone(String s) {
    return s.trim().toLowerCase(Locale.ROOT).equals("none");
  }

  private static int parsePositive(String s) {
    try {
      int v = Integer.parseInt(s.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("resize must be a positive number or none, not '" + s + "'");
  }
}
