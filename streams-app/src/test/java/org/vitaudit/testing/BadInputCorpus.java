package org.vitaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed bad-input corpus ({@code src/test/resources/bad-input}, written by {@link
 * BadInputCorpusGenerator}, whose javadoc describes the manifest's fields): its kinds, each with
 * its expected outcome per input format.
 */
public final class BadInputCorpus {
  public static final String AUDITED = "audited";

  private BadInputCorpus() {}

  /** One kind of input. */
  public record Kind(JsonNode line) {
    public String name() {
      return line.get("kind").asText();
    }

    /** The expected outcome for {@code input.format=raw} or {@code avro}, if the kind applies. */
    public Optional<String> expected(String format) {
      return text(format);
    }

    public Optional<Path> file() {
      return text("file").map(f -> dir().resolve(f));
    }

    public byte[] bytes() {
      try {
        return Files.readAllBytes(file().orElseThrow());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The file is the whole Avro record value, not an image to wrap. */
    public boolean avroValue() {
      return text("value").filter("avro"::equals).isPresent();
    }

    public boolean tombstone() {
      return text("value").filter("null"::equals).isPresent();
    }

    public boolean overMaxBytes() {
      return text("value").filter("over-max-bytes"::equals).isPresent();
    }

    public Optional<String> uri() {
      return text("uri");
    }

    /** The record key: the kind's name unless the manifest says null. */
    public byte[] key() {
      return line.has("key") && line.get("key").isNull()
          ? null
          : name().getBytes(StandardCharsets.UTF_8);
    }

    /** Extra headers, {@code hex:} values as their bytes. */
    public Map<String, byte[]> headers() {
      Map<String, byte[]> out = new LinkedHashMap<>();
      if (line.has("headers")) {
        line.get("headers")
            .fields()
            .forEachRemaining(
                h -> {
                  String v = h.getValue().asText();
                  out.put(
                      h.getKey(),
                      v.startsWith("hex:")
                          ? HexFormat.of().parseHex(v.substring(4))
                          : v.getBytes(StandardCharsets.UTF_8));
                });
      }
      return out;
    }

    private Optional<String> text(String field) {
      JsonNode v = line.get(field);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** The folder of the committed corpus (on the test class path). */
  public static Path dir() {
    try {
      return Path.of(BadInputCorpus.class.getResource("/bad-input/manifest.jsonl").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Kind> kinds() {
    ObjectMapper json = new ObjectMapper();
    try {
      return Files.readAllLines(dir().resolve("manifest.jsonl")).stream()
          .filter(l -> !l.isBlank())
          .map(
              l -> {
                try {
                  return new Kind(json.readTree(l));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
