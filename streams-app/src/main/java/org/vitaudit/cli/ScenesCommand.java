package org.vitaudit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vitaudit.scenes.SceneExport;
import org.vitaudit.scenes.SceneFormat;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code scenes}: writes a reproducible data set of synthetic scenes and their labels. */
@Command(
    name = "scenes",
    mixinStandardHelpOptions = true,
    description = {
      "Writes synthetic scenes (one or two shapes on varied backgrounds, with clutter) and"
          + " labels.csv (file,label,x0,y0,x1,y1 with inclusive boxes).",
      "Scene i of a seed is the same whatever --count is."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:scenes written", "1:could not write the output", "2:invalid arguments"})
public final class ScenesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--count", required = true, description = "Number of scenes (at least 1).")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Data set seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Output directory (created if missing).")
  Path out;

  @Option(
      names = "--two-objects",
      description = "Two objects of different classes per scene, with disjoint boxes.")
  boolean twoObjects;

  @Option(
      names = "--size",
      defaultValue = "" + SceneSpec.DEFAULT_SIZE,
      description =
          "Image width and height in pixels, "
              + SceneSpec.MIN_SIZE
              + ".."
              + SceneSpec.MAX_SIZE
              + " (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--clutter",
      defaultValue = "" + SceneSpec.DEFAULT_MAX_CLUTTER,
      description = "Most clutter items per scene, 0 for none (default: ${DEFAULT-VALUE}).")
  int clutter;

  @Option(
      names = "--format",
      defaultValue = "png",
      converter = FormatConverter.class,
      description =
          "png (one file per scene) or raw (one images.u8 of N x H x W x 3 RGB bytes)"
              + " (default: ${DEFAULT-VALUE}).")
  SceneFormat format;

  @Override
  public Integer call() {
    SceneGenerator generator = new SceneGenerator(sceneSpec());
    try {
      SceneExport.write(generator, seed, count, out, format);
    } catch (IOException e) {
      spec.commandLine().getErr().println("scenes: cannot write to " + out + ": " + e);
      return 1;
    }
    spec.commandLine().getOut().println("wrote " + count + " scenes to " + out);
    return 0;
  }

  // Range checks the option types cannot express, reported like any other bad argument.
  private SceneSpec sceneSpec() {
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
    }
    try {
      return new SceneSpec(size, twoObjects ? 2 : 1, clutter);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid scene options: " + e.getMessage());
    }
  }

  /** Accepts the formats in lower case, as the usage text spells them. */
  static final class FormatConverter implements ITypeConverter<SceneFormat> {
    @Override
    public SceneFormat convert(String value) {
      for (SceneFormat f : SceneFormat.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new TypeConversionException("expected png or raw, got '" + value + "'");
    }
  }
}
