package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.testing.CliRun;

/**
 * {@code evaluate} on the bundled demo model and generated scenes: the JSON, and a real verdict.
 */
class EvaluateCommandTest {
  @TempDir Path tmp;

  private static JsonNode variant(JsonNode report, String name) {
    for (JsonNode v : report.get("variants")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no variant " + name);
  }

  @Test
  void vitReciproCamBeatsTheRandomBaselineOnTheDemoModel() throws Exception {
    CliRun run =
        CliRun.of(
            "evaluate",
            "--scenes",
            "40",
            "--seed",
            "9100",
            "--variants",
            "gaussian,random,rollout",
            "--json",
            "--out",
            tmp.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.get("images").asInt()).isEqualTo(40);
    assertThat(report.get("accuracy").asDouble()).isGreaterThanOrEqualTo(90);
    JsonNode gaussian = variant(report, "gaussian");
    JsonNode random = variant(report, "random");
    for (String key :
        new String[] {"drop", "increase", "coherency", "complexity", "adcc", "pointing"}) {
      assertThat(gaussian.get(key).isNumber()).as(key).isTrue();
      assertThat(gaussian.get(key).asDouble()).as(key).isBetween(0.0, 100.0);
    }
    assertThat(gaussian.get("adcc").asDouble()).isGreaterThan(random.get("adcc").asDouble());
    assertThat(gaussian.get("pointing").asDouble())
        .isGreaterThan(random.get("pointing").asDouble());
    assertThat(Files.readString(tmp.resolve("evaluation.md")))
        .contains("| gaussian |", "| rollout |");
    assertThat(new ObjectMapper().readTree(tmp.resolve("evaluation.json").toFile()))
        .isEqualTo(report);
    assertThat(run.err()).contains("evaluating [").contains("ETA");
  }

  @Test
  void twoObjectScenesScoreEachPresentClassesMapAgainstItsOwnObject() throws Exception {
    CliRun run =
        CliRun.of("evaluate", "--scenes", "30", "--seed", "9200", "--two-objects", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertThat(r.get("scenes").asInt()).isEqualTo(30);
    assertThat(r.get("pointing_per_class").asDouble())
        .isGreaterThanOrEqualTo(40)
        .isGreaterThan(2 * r.get("pointing_chance").asDouble());
  }

  @Test
  void withoutBoxesPointingIsNull() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("imgs"));
    CliRun scenes = CliRun.of("scenes", "--count", "3", "--seed", "5", "--out", dir.toString());
    assertThat(scenes.exitCode()).as(scenes.err()).isZero();
    // Keep only file and label: no boxes.
    Path csv = tmp.resolve("labels.csv");
    Files.write(
        csv,
        Files.readAllLines(dir.resolve("labels.csv")).stream()
            .map(l -> String.join(",", Arrays.copyOf(l.split(","), 2)))
            .toList());
    CliRun run =
        CliRun.of(
            "evaluate",
            "--images",
            dir.toString(),
            "--labels",
            csv.toString(),
            "--variants",
            "dirac",
            "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode dirac = variant(new ObjectMapper().readTree(run.out()), "dirac");
    assertThat(dirac.get("pointing").isNull()).isTrue();
  }

  @Test
  void anUnknownVariantIsAUsageError() {
    CliRun run = CliRun.of("evaluate", "--scenes", "2", "--variants", "gaussian,sparkles");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLines())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("sparkles").contains("rollout"));
  }
}
