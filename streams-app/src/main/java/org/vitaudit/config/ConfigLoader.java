package org.vitaudit.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.vitaudit.model.ModelSidecar;

/**
 * Layers the configuration sources, each winning over the ones before it: defaults (the
 * ConfigDef's, then a command's own) &lt; the model's model.json ({@code saliency.*} keys chosen
 * for that model) &lt; properties file &lt; environment variables ({@value #ENV_PREFIX} + key
 * upper-cased, dots as underscores) &lt; command-line flags and {@code --set}. Sources may be added
 * in any order; the rank decides. Remembers where each value came from so an error can say which
 * source to fix.
 */
public final class ConfigLoader {

  /** Environment variables with this prefix are configuration keys. */
  public static final String ENV_PREFIX = "VITAUDIT_";

  /** Read by the logging setup (logback.xml), not a configuration key. */
  public static final String LOG_LEVEL_VARIABLE = "VITAUDIT_LOG_LEVEL";

  /** The sources, lowest precedence first. */
  private enum Rank {
    COMMAND_DEFAULT,
    MODEL_JSON,
    FILE,
    ENVIRONMENT,
    FLAG
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();
  private final Map<String, Rank> ranks = new LinkedHashMap<>();

  /** The environment variable that sets {@code key}, e.g. VITAUDIT_INPUT_TOPIC for input.topic. */
  public static String environmentVariable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * Adds defaults of the command at hand (the demo's own topics and ports), below every other
   * source; call it first.
   */
  public ConfigLoader commandDefaults(Map<String, String> defaults, String command) {
    defaults.forEach((k, v) -> put(k, v, command + " default", Rank.COMMAND_DEFAULT));
    return this;
  }

  /** Adds a Java properties file; a missing or unreadable file is an error, not an empty layer. */
  public ConfigLoader file(Path path) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException(
          "Cannot read configuration file "
              + path
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    for (String key : p.stringPropertyNames()) {
      put(key.trim(), p.getProperty(key).trim(), "file " + path, Rank.FILE);
    }
    return this;
  }

  /**
   * Adds every {@value #ENV_PREFIX} variable. Kafka settings use the same rule, so
   * VITAUDIT_KAFKA_SASL_JAAS_CONFIG sets kafka.sasl.jaas.config; Kafka's own keys are lower case.
   */
  public ConfigLoader environment(Map<String, String> env) {
    Map<String, String> byVariable = new LinkedHashMap<>();
    for (String key : AppConfig.configDef().names()) {
      byVariable.put(environmentVariable(key), key);
    }
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !e.getKey().equals(LOG_LEVEL_VARIABLE))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String key = byVariable.get(e.getKey());
              if (key == null) {
                key =
                    e.getKey()
                        .substring(ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
              }
              put(key, e.getValue(), "environment variable " + e.getKey(), Rank.ENVIRONMENT);
            });
    return this;
  }

  /** Adds one value from a named command-line flag; null leaves the key as it is. */
  public ConfigLoader flag(String key, String value, String flag) {
    if (value != null) {
      put(key, value, flag, Rank.FLAG);
    }
    return this;
  }

  /** Adds {@code key=value} assignments (the repeatable {@code --set}). */
  public ConfigLoader assignments(List<String> assignments) {
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set expects key=value, got '" + Secrets.mask(a, a) + "'");
      }
      put(a.substring(0, eq).trim(), a.substring(eq + 1).trim(), "--set", Rank.FLAG);
    }
    return this;
  }

  /**
   * Validates every value and builds the configuration.
   *
   * @throws ConfigException one line naming the key, the bad value, what is allowed and the source
   */
  public AppConfig load() {
    modelSettings();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String problem = AppConfig.problem(e.getKey(), e.getValue());
      if (problem != null) {
        throw new ConfigException(problem + " (from " + origins.get(e.getKey()) + ")");
      }
    }
    return new AppConfig(values);
  }

  /**
   * The method settings the model's own model.json carries, under every other source but the
   * defaults. Read last, because which model it is may come from any source. A model that cannot be
   * found adds nothing here: opening it fails later with the reason.
   */
  private void modelSettings() {
    String path = values.getOrDefault(AppConfig.MODEL_PATH_CONFIG, "").trim();
    Optional<ModelSidecar.Found> found =
        path.isEmpty() ? ModelSidecar.ofDemo() : ModelSidecar.beside(Path.of(path));
    found.ifPresent(
        f -> f.sidecar().settings().forEach((k, v) -> put(k, v, f.where(), Rank.MODEL_JSON)));
  }

  private void put(String key, String value, String origin, Rank rank) {
    Rank existing = ranks.get(key);
    if (existing != null && existing.compareTo(rank) > 0) {
      return;
    }
    values.put(key, value);
    origins.put(key, origin);
    ranks.put(key, rank);
  }
}
