package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;
import picocli.CommandLine;

class ScenesCommandTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void writesPngsAndLabelsThatMatchTheGenerator() throws IOException {
    Path dir = tmp.resolve("png");
    assertThat(run("scenes", "--count", "3", "--seed", "9", "--out", dir.toString())).isZero();

    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("file,label,x0,y0,x1,y1");
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    for (int i = 0; i < 3; i++) {
      Scene expected = generator.generate(9, i);
      String file = String.format("scene_%06d.png", i);
      BufferedImage png = ImageIO.read(dir.resolve(file).toFile());
      assertThat(rgb(png)).isEqualTo(rgb(expected.image()));
      var box = expected.objects().get(0).box();
      assertThat(lines.get(i + 1))
          .isEqualTo(
              String.join(
                  ",",
                  file,
                  expected.objects().get(0).className(),
                  "" + box.x0(),
                  "" + box.y0(),
                  "" + box.x1(),
                  "" + box.y1()));
    }
    assertThat(Files.readAllLines(dir.resolve("classes.txt")))
        .containsExactly(
            "circle", "square", "triangle", "star", "cross", "ring", "crescent", "arrow");
  }

  @Test
  void rawFormatHoldsEveryImageAsRgbBytesInOrder() throws IOException {
    Path dir = tmp.resolve("raw");
    assertThat(
            run(
                "scenes",
                "--count",
                "2",
                "--seed",
                "4",
                "--size",
                "32",
                "--format",
                "raw",
                "--two-objects",
                "--out",
                dir.toString()))
        .isZero();

    byte[] bytes = Files.readAllBytes(dir.resolve("images.u8"));
    assertThat(bytes).hasSize(2 * 32 * 32 * 3);
    SceneGenerator generator =
        new SceneGenerator(new SceneSpec(32, 2, SceneSpec.DEFAULT_MAX_CLUTTER));
    int[] second = rgb(generator.generate(4, 1).image());
    int offset = 32 * 32 * 3;
    for (int p = 0; p < second.length; p++) {
      assertThat(bytes[offset + 3 * p] & 0xFF).isEqualTo((second[p] >> 16) & 0xFF);
      assertThat(bytes[offset + 3 * p + 1] & 0xFF).isEqualTo((second[p] >> 8) & 0xFF);
      assertThat(bytes[offset + 3 * p + 2] & 0xFF).isEqualTo(second[p] & 0xFF);
    }
    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
    assertThat(lines.get(0)).isEqualTo("file,label,x0,y0,x1,y1,label2,x0_2,y0_2,x1_2,y1_2");
    assertThat(lines.get(2)).startsWith("images.u8#1,").matches("([^,]+,){10}[^,]+");
  }

  @Test
  void sceneIsTheSameWhateverTheCount() throws IOException {
    Path few = tmp.resolve("few");
    Path more = tmp.resolve("more");
    run("scenes", "--count", "2", "--seed", "12", "--out", few.toString());
    run("scenes", "--count", "5", "--seed", "12", "--out", more.toString());
    assertThat(Files.readAllLines(more.resolve("labels.csv")).subList(0, 3))
        .isEqualTo(Files.readAllLines(few.resolve("labels.csv")));
    assertThat(Files.readAllBytes(more.resolve("scene_000001.png")))
        .isEqualTo(Files.readAllBytes(few.resolve("scene_000001.png")));
  }

  @Test
  void badArgumentsExitWith2AndOneLineOnStderr() {
    String dir = tmp.resolve("bad").toString();
    List<String[]> cases =
        List.of(
            new String[] {"scenes", "--count", "-3", "--out", dir},
            new String[] {"scenes", "--count", "0", "--out", dir},
            new String[] {"scenes", "--count", "many", "--out", dir},
            new String[] {"scenes", "--count", "3"},
            new String[] {"scenes", "--count", "3", "--out", dir, "--size", "8"},
            new String[] {"scenes", "--count", "3", "--out", dir, "--clutter", "-1"},
            new String[] {"scenes", "--count", "3", "--out", dir, "--format", "jpeg"});
    for (String[] args : cases) {
      err.getBuffer().setLength(0);
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString().strip())
          .as(String.join(" ", args))
          .startsWith("streams-app scenes: ")
          .doesNotContain("\n");
    }
    assertThat(tmp.resolve("bad")).doesNotExist();
  }

  @Test
  void unwritableOutputExitsWith1() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    assertThat(run("scenes", "--count", "1", "--out", file.toString())).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("scenes: cannot write").doesNotContain("\n");
  }

  private static int[] rgb(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
