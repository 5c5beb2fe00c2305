package org.vitaudit.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's deployment files, read as plain data: YAML documents, text, image references.
 */
final class DeployFiles {

  /** The repository root: the folder whose pom.xml lists the streams-app module. */
  static final Path ROOT = findRoot();

  /** A tag as registries accept it. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private DeployFiles() {}

  private static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("streams-app")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML document of the file, each a map (empty documents skipped). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : yaml.loadAll(text(file))) {
      if (doc != null) {
        if (!(doc instanceof Map)) {
          throw new IllegalStateException(file + ": a YAML document that is not a mapping: " + doc);
        }
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  /** The one YAML document of the file. */
  static Map<String, Object> yaml(Path file) {
    List<Map<String, Object>> docs = yamlDocuments(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  /**
   * Every Kubernetes manifest: the .yaml/.yml files under {@code deploy/}, but for those of {@code
   * deploy/compose/} (configuration Compose mounts into containers, such as Prometheus's).
   */
  static List<Path> manifestFiles() {
    try (Stream<Path> s = Files.walk(path("deploy"))) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.startsWith(path("deploy/compose")))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether an image reference names a version: a tag that is not {@code latest}, or a digest. */
  static boolean pinned(String image) {
    if (image == null || image.isBlank()) {
      return false;
    }
    if (image.matches(".*@sha256:[0-9a-f]{64}")) {
      return true;
    }
    // The tag follows the last colon after the last slash (a registry port comes before a slash).
    String last = image.substring(image.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    String tag = last.substring(colon + 1);
    return TAG.matcher(tag).matches() && !tag.equals("latest");
  }

  /** A property of the root pom.xml's {@code <properties>}, e.g. kafka.image. */
  static String pomProperty(String name) {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
            .matcher(text(path("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("pom.xml has no property " + name);
    }
    return m.group(1).trim();
  }

  /** The modules the root pom.xml builds. */
  static List<String> pomModules() {
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(text(path("pom.xml")));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  // Small typed accessors for parsed YAML.

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new AssertionError(what + " is not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List)) {
      throw new AssertionError(what + " is not a list: " + o);
    }
    return (List<Object>) o;
  }

  /** The value at a dotted path of nested mappings, or null where a step is missing. */
  static Object at(Map<String, Object> doc, String dotted) {
    Object cur = doc;
    for (String step : dotted.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(step);
    }
    return cur;
  }
}
