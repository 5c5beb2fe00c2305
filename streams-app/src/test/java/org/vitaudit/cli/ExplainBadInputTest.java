package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.BadInputCorpus;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.Fixture;

/**
 * {@code explain} on every file of the bad-input corpus: a JSON line for each one the stream
 * audits, one clear {@code error:} line for each one it dead-letters, exit code 1.
 */
class ExplainBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the error line says for each reason the raw stream would dead-letter with. */
  private static final Map<String, String> SAYS =
      Map.of(
          "empty_image", "is empty",
          "corrupt_image", "the ",
          "unsupported_format", "not a JPEG, PNG, BMP or GIF image",
          "too_many_pixels", "more than the limit of");

  @Test
  void auditsWhatTheStreamAuditsAndSaysWhyForTheRest() throws Exception {
    Map<Path, String> expected = new LinkedHashMap<>();
    for (BadInputCorpus.Kind k : BadInputCorpus.kinds()) {
      if (k.file().isPresent() && k.expected("raw").isPresent()) {
        expected.putIfAbsent(k.file().get(), k.expected("raw").get());
      }
    }
    List<String> args =
        new ArrayList<>(List.of("explain", "--model", Fixture.named("timm_vit").onnx().toString()));
    expected.keySet().forEach(p -> args.add(p.toString()));

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(1);
    List<String> audited = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      audited.add(JSON.readTree(line).get("image").asText());
    }
    List<String> errors = run.errorLines();
    List<String> failed = new ArrayList<>();
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      String file = e.getKey().toString();
      List<String> said =
          errors.stream().filter(l -> l.startsWith("error: " + file + ": ")).toList();
      if (e.getValue().equals(BadInputCorpus.AUDITED)) {
        assertThat(audited).as(file).contains(file);
        assertThat(said).as(file).isEmpty();
      } else {
        assertThat(said).as(file).hasSize(1);
        assertThat(said.get(0)).as(file).contains(SAYS.get(e.getValue()));
        failed.add(file);
      }
    }
    assertThat(audited).hasSize(expected.size() - failed.size());
    assertThat(errors).as("one line per bad file, nothing else").hasSize(failed.size());
  }
}
