package org.vitaudit.deploy;

import static org.vitaudit.deploy.DeployFiles.list;
import static org.vitaudit.deploy.DeployFiles.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML-level stand-in for {@code kustomize build}, for machines without the binary: resources
 * (files and folders), {@code components} (their resources and patches, after the resources),
 * {@code configMapGenerator} with files (and labels and annotations as options), {@code patches} by
 * path (strategic merge for built-in kinds, JSON merge for custom resources) and {@code images}.
 * Anything else in a kustomization is refused, so a feature these files start to use cannot be
 * silently ignored.
 *
 * <p>Generated ConfigMaps keep their plain name (kustomize adds a hash suffix and rewrites the
 * references to it, which leaves the wiring this class checks unchanged).
 */
final class Kustomize {

  private static final Set<String> SUPPORTED =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "components",
          "patches",
          "images",
          "configMapGenerator");

  /** The options of a configMapGenerator entry this class applies (the name is kept anyway). */
  private static final Set<String> GENERATOR_OPTIONS =
      Set.of("labels", "annotations", "disableNameSuffixHash");

  /** The merge key of the lists strategic merge patches merge element by element. */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers",
          "name",
          "initContainers",
          "name",
          "env",
          "name",
          "volumes",
          "name",
          "volumeMounts",
          "mountPath",
          "ports",
          "containerPort");

  private static final Set<String> BUILT_IN_API_VERSIONS = Set.of("v1", "apps/v1", "policy/v1");

  private Kustomize() {}

  /** A patch file and the resource it applies to, for checks on the overlay's intent. */
  record Patch(Path file, Map<String, Object> doc) {}

  /** The resources {@code kustomize build dir} would print, in order. */
  static List<Map<String, Object>> build(Path dir) {
    return build(dir, kustomization(dir));
  }

  /**
   * The build of {@code dir} with {@code k} in place of its kustomization.yaml: an overlay with a
   * component added, say, as a user would add it.
   */
  static List<Map<String, Object>> build(Path dir, Map<String, Object> k) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object r : list(k.get("resources"), "resources")) {
      Path p = dir.resolve(String.valueOf(r)).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(build(p));
      } else if (Files.isRegularFile(p)) {
        out.addAll(DeployFiles.yamlDocuments(p));
      } else {
        throw new IllegalStateException(dir + ": resource " + r + " does not exist");
      }
    }
    for (Object g : list(k.get("configMapGenerator"), "configMapGenerator")) {
      out.add(configMap(dir, map(g, "configMapGenerator entry")));
    }
    for (Object c : list(k.get("components"), "components")) {
      Path component = dir.resolve(String.valueOf(c)).normalize();
      if (!"Component".equals(kustomization(component).get("kind"))) {
        throw new IllegalStateException(component + " is not a kustomize Component");
      }
      // A component's resources join the build, then its patches apply to all of it.
      out.addAll(build(component, withoutPatches(kustomization(component))));
      applyPatches(out, patches(component));
    }
    applyPatches(out, patches(dir, k));
    for (Object img : list(k.get("images"), "images")) {
      setImage(out, map(img, "images entry"));
    }
    return out;
  }

  private static Map<String, Object> withoutPatches(Map<String, Object> k) {
    Map<String, Object> copy = new LinkedHashMap<>(k);
    copy.remove("patches");
    return copy;
  }

  private static void applyPatches(List<Map<String, Object>> out, List<Patch> patches) {
    for (Patch patch : patches) {
      int i = indexOf(out, patch.doc());
      if (i < 0) {
        throw new IllegalStateException(
            patch.file()
                + " patches "
                + kindAndName(patch.doc())
                + ", which the resources do not contain");
      }
      boolean strategic =
          BUILT_IN_API_VERSIONS.contains(String.valueOf(out.get(i).get("apiVersion")));
      out.set(i, map(merge(out.get(i), patch.doc(), "", strategic), "patched resource"));
    }
  }

  /** The kustomization of a folder, refusing fields this class does not model. */
  static Map<String, Object> kustomization(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(dir + " has no kustomization.yaml");
    }
    Map<String, Object> k = DeployFiles.yaml(file);
    for (String field : k.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalStateException(
            file
                + ": field "
                + field
                + " is not modelled by this YAML-level check;"
                + " extend Kustomize.java before using it");
      }
    }
    return k;
  }

  /** The patches a kustomization lists, each read from its file. */
  static List<Patch> patches(Path dir) {
    return patches(dir, kustomization(dir));
  }

  private static List<Patch> patches(Path dir, Map<String, Object> k) {
    List<Patch> patches = new ArrayList<>();
    for (Object p : list(k.get("patches"), "patches")) {
      Map<String, Object> entry = map(p, "patches entry");
      if (entry.containsKey("target") || !entry.containsKey("path")) {
        throw new IllegalStateException(
            dir + ": only patches by path, without target, are modelled: " + entry);
      }
      Path file = dir.resolve(String.valueOf(entry.get("path"))).normalize();
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(dir + ": patch " + file + " does not exist");
      }
      patches.add(new Patch(file, DeployFiles.yaml(file)));
    }
    return patches;
  }

  /** The one resource of a kind in a build, e.g. the Deployment. */
  static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
    List<Map<String, Object>> found =
        resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  static String kindAndName(Map<String, Object> doc) {
    return doc.get("kind") + "/" + DeployFiles.at(doc, "metadata.name");
  }

  private static int indexOf(List<Map<String, Object>> resources, Map<String, Object> patch) {
    for (int i = 0; i < resources.size(); i++) {
      if (kindAndName(resources.get(i)).equals(kindAndName(patch))) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, Object> configMap(Path dir, Map<String, Object> generator) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (Object f : list(generator.get("files"), "configMapGenerator files")) {
      String spec = String.valueOf(f);
      // "key=path" or "path" (the file name is the key).
      String key =
          spec.contains("=")
              ? spec.substring(0, spec.indexOf('='))
              : Path.of(spec).getFileName().toString();
      Path file =
          dir.resolve(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec)
              .normalize();
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(
            dir + ": configMapGenerator file " + file + " does not exist");
      }
      data.put(key, DeployFiles.text(file));
    }
    Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", generator.get("name")));
    Map<String, Object> options =
        generator.containsKey("options")
            ? map(generator.get("options"), "configMapGenerator options")
            : Map.of();
    for (String option : options.keySet()) {
      if (!GENERATOR_OPTIONS.contains(option)) {
        throw new IllegalStateException(
            dir + ": configMapGenerator option " + option + " is not modelled by this check");
      }
    }
    for (String field : List.of("labels", "annotations")) {
      if (options.containsKey(field)) {
        metadata.put(field, map(options.get(field), "configMapGenerator " + field));
      }
    }
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    cm.put("metadata", metadata);
    cm.put("data", data);
    return cm;
  }

  /**
   * Strategic merge (maps merged key by key; lists of containers, env, volumes, ... merged by their
   * merge key; other lists replaced) or, for custom resources, JSON merge (lists replaced).
   */
  @SuppressWarnings("unchecked")
  static Object merge(Object base, Object patch, String field, boolean strategic) {
    if (base instanceof Map<?, ?> b && patch instanceof Map<?, ?> p) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) b);
      ((Map<String, Object>) p).forEach((k, v) -> out.put(k, merge(out.get(k), v, k, strategic)));
      return out;
    }
    String key = MERGE_KEYS.get(field);
    if (strategic && key != null && base instanceof List<?> b && patch instanceof List<?> p) {
      List<Object> out = new ArrayList<>((List<Object>) b);
      for (Object element : p) {
        Object id = map(element, field + " element").get(key);
        int at = -1;
        for (int i = 0; i < out.size(); i++) {
          if (id != null && id.equals(map(out.get(i), field + " element").get(key))) {
            at = i;
          }
        }
        if (at < 0) {
          out.add(element);
        } else {
          out.set(at, merge(out.get(at), element, field + "[]", true));
        }
      }
      return out;
    }
    return patch;
  }

  /** Kustomize's images transformer on the pod templates: name, optionally :tag, replaced. */
  private static void setImage(List<Map<String, Object>> resources, Map<String, Object> spec) {
    String name = String.valueOf(spec.get("name"));
    String newName = spec.containsKey("newName") ? String.valueOf(spec.get("newName")) : name;
    Object newTag = spec.get("newTag");
    Object digest = spec.get("digest");
    for (Map<String, Object> r : resources) {
      for (Map<String, Object> c : containers(r)) {
        String image = String.valueOf(c.get("image"));
        String bare = image.replaceFirst("@.*$", "");
        String tag = null;
        int colon = bare.lastIndexOf(':');
        if (colon > bare.lastIndexOf('/')) {
          tag = bare.substring(colon + 1);
          bare = bare.substring(0, colon);
        }
        if (bare.equals(name)) {
          String result = newName;
          if (digest != null) {
            result += "@" + digest;
          } else if (newTag != null) {
            result += ":" + newTag;
          } else if (tag != null) {
            result += ":" + tag;
          }
          c.put("image", result);
        }
      }
    }
  }

  /** The containers of a workload's pod template (empty for other kinds). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> containers(Map<String, Object> resource) {
    Object spec = DeployFiles.at(resource, "spec.template.spec");
    if (!(spec instanceof Map<?, ?> s)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String field : List.of("initContainers", "containers")) {
      for (Object c : list(s.get(field), field)) {
        out.add((Map<String, Object>) c);
      }
    }
    return out;
  }
}
