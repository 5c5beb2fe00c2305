package org.vitaudit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two layout rules the formatter (Spotless, google-java-format, checked in {@code mvn verify})
 * cannot enforce on its own: no line over 120 characters, and classes named by an import rather
 * than by their full name inside the code.
 */
class SourceStyleTest {
  private static final int MAX_LINE = 120;
  private static final Pattern QUALIFIED =
      Pattern.compile("(?<![\\w.])(java|javax|org|com|picocli|ai)(\\.[a-z][a-z0-9_]*)*\\.[A-Z]");
  private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");

  private static List<Path> sources() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String root : List.of("streams-app/src/main/java", "streams-app/src/test/java")) {
      try (Stream<Path> s = Files.walk(Path.of(root))) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void noLineIsLongerThan120Characters() throws IOException {
    List<String> long_ = new ArrayList<>();
    for (Path file : sources()) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).length() > MAX_LINE) {
          long_.add(file + ":" + (i + 1) + " (" + lines.get(i).length() + ")");
        }
      }
    }
    assertThat(long_).isEmpty();
  }

  @Test
  void codeNamesClassesByTheirImportNotTheirFullName() throws IOException {
    List<String> qualified = new ArrayList<>();
    for (Path file : sources()) {
      List<String> lines = Files.readAllLines(file);
      boolean inComment = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.startsWith("/*")) {
          inComment = true;
        }
        boolean comment = inComment || line.startsWith("*") || line.startsWith("//");
        if (line.contains("*/")) {
          inComment = false;
        }
        if (comment || line.startsWith("import ") || line.startsWith("package ")) {
          continue;
        }
        String code = STRING.matcher(line.replaceAll("//.*$", "")).replaceAll("\"\"");
        if (QUALIFIED.matcher(code).find()) {
          qualified.add(file + ":" + (i + 1) + ": " + line);
        }
      }
    }
    assertThat(qualified).isEmpty();
  }
}
