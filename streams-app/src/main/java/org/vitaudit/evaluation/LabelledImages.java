package org.vitaudit.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.ModelInput;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.scenes.PlacedObject;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;

/** Where evaluation images come from: a folder with a labels CSV, or generated scenes. */
public final class LabelledImages {
  private LabelledImages() {}

  /**
   * Images listed in a CSV in the format {@code scenes} writes: {@code file,label[,x0,y0,x1,y1]}, a
   * header line optional, files relative to {@code dir}; boxes in original image pixels.
   *
   * @param classOf maps a label (name or number) to the model's class
   */
  public static List<LabelledImage> fromCsv(
      Path dir, Path csv, Preprocessor pre, ImageDecoder decoder, Function<String, Integer> classOf)
      throws IOException {
    List<LabelledImage> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || (n == 0 && line.toLowerCase(Locale.ROOT).startsWith("file,"))) {
        continue;
      }
      String[] f = line.split(",", -1);
      String where = csv + " line " + (n + 1);
      if (f.length < 2) {
        throw new IllegalArgumentException(where + ": expected file,label[,x0,y0,x1,y1]");
      }
      ModelInput input;
      try {
        input = pre.prepare(decoder.decode(Files.readAllBytes(dir.resolve(f[0].strip()))));
      } catch (ImageRejectedException | IOException e) {
        throw new IllegalArgumentException(where + ": " + f[0] + ": " + e.getMessage(), e);
      }
      Optional<Box> box = Optional.empty();
      if (f.length >= 6 && !f[2].isBlank()) {
        try {
          double[] b =
              input.mapBox(
                  Double.parseDouble(f[2]),
                  Double.parseDouble(f[3]),
                  Double.parseDouble(f[4]),
                  Double.parseDouble(f[5]));
          box = Optional.of(new Box(b[0], b[1], b[2], b[3]));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              where + ": the box must be four numbers x0,y0,x1,y1", e);
        }
      }
      Integer label;
      try {
        label = classOf.apply(f[1].strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      out.add(new LabelledImage(f[0].strip(), input.tensor(), Optional.of(label), box));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(csv + " lists no images");
    }
    return out;
  }

  /** Single-object scenes from the project's generator, with their class and box. */
  public static List<LabelledImage> fromScenes(
      int count, long seed, Preprocessor pre, Function<String, Integer> classOf) {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    List<LabelledImage> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Scene scene = generator.generate(seed, i);
      PlacedObject object = scene.objects().get(0);
      ModelInput input = pre.prepare(scene.image());
      var b = object.box();
      double[] box = input.mapBox(b.x0(), b.y0(), b.x1(), b.y1());
      Optional<Integer> label;
      try {
        label = Optional.of(classOf.apply(object.className()));
      } catch (IllegalArgumentException e) {
        label =
            Optional
                .empty(); // a model trained on other classes: boxes still count, accuracy does not
      }
      out.add(
          new LabelledImage(
              "scene " + seed + "/" + i,
              input.tensor(),
              label,
              Optional.of(new Box(box[0], box[1], box[2], box[3]))));
    }
    return out;
  }
}
