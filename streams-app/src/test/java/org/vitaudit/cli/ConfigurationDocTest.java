package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.CliRun;

/**
 * docs/configuration.md is generated from {@code config --list} by scripts/config-doc.sh; this test
 * fails when the page and the command drift apart (a setting added, removed or given another
 * default without regenerating the page).
 */
class ConfigurationDocTest {

  private static final String REGENERATE =
      " (regenerate the page: mvn -q -B -o -DskipTests package && bash scripts/config-doc.sh)";

  @Test
  void everySettingAndItsDefaultThatConfigListPrintsIsInTheDocsPage() throws IOException {
    CliRun run = CliRun.of("config", "--list");
    assertThat(run.exitCode()).isZero();
    List<String[]> settings = run.out().lines().map(l -> l.split("\t", -1)).toList();
    assertThat(settings).hasSizeGreaterThan(20);

    List<String> rows = tableRows(Files.readString(page(), StandardCharsets.UTF_8));
    for (String[] setting : settings) {
      String key = setting[0];
      String def = setting[1];
      String expected =
          "| `"
              + escape(key)
              + "` | "
              + (def.isEmpty() ? "*(empty)*" : "`" + escape(def) + "`")
              + " | ";
      assertThat(rows)
          .as("docs/configuration.md row for %s with default '%s'%s", key, def, REGENERATE)
          .anySatisfy(r -> assertThat(r).startsWith(expected));
    }
  }

  @Test
  void theDocsPageListsNoSettingThatConfigListDoesNotPrint() throws IOException {
    CliRun run = CliRun.of("config", "--list");
    Set<String> keys = run.out().lines().map(l -> l.split("\t", -1)[0]).collect(Collectors.toSet());
    List<String> documented =
        tableRows(Files.readString(page(), StandardCharsets.UTF_8)).stream()
            .map(r -> r.substring(3, r.indexOf('`', 3)).replace("\\|", "|"))
            .toList();
    assertThat(keys).as("settings in docs/configuration.md" + REGENERATE).containsAll(documented);
  }

  /** The rows of the settings table: lines that start with a key in backticks. */
  private static List<String> tableRows(String page) {
    return page.lines().filter(l -> l.startsWith("| `")).toList();
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|");
  }

  private static Path page() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path doc = p.resolve("docs").resolve("configuration.md");
      if (Files.isDirectory(p.resolve("streams-app")) && Files.exists(doc)) {
        return doc;
      }
    }
    throw new IllegalStateException(
        "no docs/configuration.md above " + Path.of("").toAbsolutePath());
  }
}
