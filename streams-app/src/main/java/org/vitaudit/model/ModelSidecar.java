package org.vitaudit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.image.Preprocessing;

/**
 * The {@code model.json} that travels beside a model: its name, preprocessing and labels,
 * optionally the cut node and grid when the search needs help, and the method settings chosen for
 * this model ({@code "saliency.block": 2}, ...: configuration keys, which the configuration layers
 * under every other source).
 */
public record ModelSidecar(
    Optional<String> name,
    Optional<Preprocessing> preprocessing,
    List<String> labels,
    Optional<String> cutNode,
    Optional<int[]> grid,
    Map<String, String> settings) {

  /** Top-level keys with this prefix are configuration keys of the method. */
  private static final String SETTINGS_PREFIX = "saliency.";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sidecar and where it was read from, for messages. */
  public record Found(ModelSidecar sidecar, String where) {}

  public ModelSidecar {
    settings = Map.copyOf(settings);
  }

  public static ModelSidecar empty() {
    return new ModelSidecar(
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Map.of());
  }

  /**
   * The sidecar of a model file: {@code <stem>.json}, else {@code model.json} in the same folder.
   */
  public static Optional<Found> beside(Path model) {
    String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    for (Path candidate :
        new Path[] {model.resolveSibling(stem + ".json"), model.resolveSibling("model.json")}) {
      if (Files.isRegularFile(candidate)) {
        try {
          return Optional.of(
              new Found(
                  parse(Files.readAllBytes(candidate), candidate.toString()),
                  candidate.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + candidate + ": " + e.getMessage(), e);
        }
      }
    }
    return Optional.empty();
  }

  /** The bundled demo model's sidecar. */
  public static Optional<Found> ofDemo() {
    String where = "the demo model's model.json";
    return ModelBundle.demoResource("model.json").map(b -> new Found(parse(b, where), where));
  }

  public static ModelSidecar parse(byte[] json, String where) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      List<String> labels = new ArrayList<>();
      root.path("labels").forEach(l -> labels.add(l.asText()));
      return new ModelSidecar(
          text(root, "name"),
          root.has("preprocessing")
              ? Optional.of(preprocessing(root.get("preprocessing")))
              : Optional.empty(),
          List.copyOf(labels),
          text(root, "cut_node"),
          root.has("grid") ? Optional.of(pair(root.get("grid"), "grid")) : Optional.empty(),
          settings(root));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read " + where + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> settings(JsonNode root) {
    Map<String, String> out = new LinkedHashMap<>();
    root.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith(SETTINGS_PREFIX)) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                  throw new IllegalArgumentException(
                      "\"" + e.getKey() + "\" must be a string, number or boolean");
                }
                out.put(e.getKey(), e.getValue().asText());
              }
            });
    return out;
  }

  private static Optional<String> text(JsonNode root, String key) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  private static Preprocessing preprocessing(JsonNode p) {
    int[] size = pair(p.get("size"), "size");
    JsonNode resize = p.get("resize");
    JsonNode crop = p.get("crop");
    int[] cropHw = crop == null || crop.isNull() ? new int[] {0, 0} : pair(crop, "crop");
    Preprocessing.Channels channels =
        Preprocessing.Channels.parse(p.path("channels").asText("rgb"));
    return new Preprocessing(
        size[0],
        size[1],
        resize == null || resize.isNull() ? Optional.empty() : Optional.of(resize.asInt()),
        cropHw[0],
        cropHw[1],
        channels,
        floats(p.get("mean"), "mean"),
        floats(p.get("std"), "std"));
  }

  private static int[] pair(JsonNode n, String what) {
    if (n == null || !n.isArray() || n.size() != 2) {
      throw new IllegalArgumentException("\"" + what + "\" must be [height, width]");
    }
    return new int[] {n.get(0).asInt(), n.get(1).asInt()};
  }

  private static float[] floats(JsonNode n, String what) {
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw new IllegalArgumentException("\"" + what + "\" must be a list of numbers");
    }
    float[] out = new float[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }

  /** The JSON form, as {@code split} writes it (plus whatever facts the caller adds). */
  public static ObjectNode toJson(String name, Preprocessing p, List<String> labels) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", name);
    ObjectNode pre = root.putObject("preprocessing");
    pre.putArray("size").add(p.height()).add(p.width());
    if (p.resizeShorter().isPresent()) {
      pre.put("resize", p.resizeShorter().get());
    } else {
      pre.putNull("resize");
    }
    if (p.crops()) {
      pre.putArray("crop").add(p.cropHeight()).add(p.cropWidth());
    } else {
      pre.putNull("crop");
    }
    pre.put("channels", p.channels().name().toLowerCase(Locale.ROOT));
    ArrayNode mean = pre.putArray("mean");
    for (float m : p.mean()) {
      mean.add(m);
    }
    ArrayNode std = pre.putArray("std");
    for (float s : p.std()) {
      std.add(s);
    }
    ArrayNode l = root.putArray("labels");
    labels.forEach(l::add);
    return root;
  }
}
