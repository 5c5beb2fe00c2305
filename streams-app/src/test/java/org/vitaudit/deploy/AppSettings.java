package org.vitaudit.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import org.vitaudit.testing.CliRun;

/**
 * What the application makes of a deployment's settings: loads a properties file and environment
 * exactly as {@code run --config FILE} does, and names settings nobody reads.
 */
final class AppSettings {

  /** Prefixes Kafka Streams accepts in front of a client setting. */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          "main.consumer.",
          "restore.consumer.",
          "global.consumer.",
          "consumer.",
          "producer.",
          "admin.");

  private static final Set<String> KAFKA_NAMES = kafkaNames();

  /** What {@code config --list} names, read once. */
  private static Set<String> listed;

  private AppSettings() {}

  /**
   * The configuration {@code run --config file} builds with this environment; throws if invalid.
   */
  static AppConfig load(Path file, Map<String, String> env) {
    return new ConfigLoader().file(file).environment(env).load();
  }

  /** The keys a properties file sets. */
  static Set<String> fileKeys(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TreeSet<>(p.stringPropertyNames());
  }

  /**
   * The keys {@code config --list} prints (its first column), without the {@code kafka.*} line:
   * what the application documents to its users.
   */
  static Set<String> listedKeys() {
    CliRun run = CliRun.of("config", "--list");
    if (run.exitCode() != 0) {
      throw new IllegalStateException("config --list failed: " + run.err());
    }
    Set<String> keys = new TreeSet<>();
    run.out()
        .lines()
        .map(l -> l.split("\t", -1)[0])
        .filter(k -> !k.equals(AppConfig.KAFKA_PREFIX + "*"))
        .forEach(keys::add);
    return keys;
  }

  /**
   * The configuration key an environment variable sets, as {@link ConfigLoader} maps it, or null
   * for a variable without the {@value ConfigLoader#ENV_PREFIX} prefix.
   */
  static String keyOf(String variable) {
    if (!variable.startsWith(ConfigLoader.ENV_PREFIX)) {
      return null;
    }
    for (String key : AppConfig.configDef().names()) {
      if (ConfigLoader.environmentVariable(key).equals(variable)) {
        return key;
      }
    }
    return variable
        .substring(ConfigLoader.ENV_PREFIX.length())
        .toLowerCase(Locale.ROOT)
        .replace('_', '.');
  }

  /**
   * Why a configuration key is one nobody reads, or null when the application or a Kafka client
   * knows it. {@code kafka.*} keys must name a Kafka Streams, consumer, producer or admin setting
   * (the application passes any of them on, so a typo would only be a warning in the log).
   */
  static String unknown(String key) {
    if (key.startsWith(AppConfig.KAFKA_PREFIX)) {
      String kafkaKey = key.substring(AppConfig.KAFKA_PREFIX.length());
      for (String prefix : CLIENT_PREFIXES) {
        if (kafkaKey.startsWith(prefix)) {
          kafkaKey = kafkaKey.substring(prefix.length());
          break;
        }
      }
      return KAFKA_NAMES.contains(kafkaKey)
          ? null
          : key + " is not a Kafka client or Kafka Streams setting";
    }
    if (listed == null) {
      listed = listedKeys();
    }
    return listed.contains(key) ? null : key + " is not a key `config --list` prints";
  }

  /** Every problem with the keys, one line each. */
  static List<String> unknownKeys(Iterable<String> keys) {
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      String p = unknown(key);
      if (p != null) {
        problems.add(p);
      }
    }
    return problems;
  }

  private static Set<String> kafkaNames() {
    Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return names;
  }
}
