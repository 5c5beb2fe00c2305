package org.vitaudit.config;

import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.vitaudit.choice.Choice;
import org.vitaudit.choice.Choices;

/**
 * The application's typed configuration: one {@link ConfigDef} that names, types, validates and
 * documents every key, so {@code config --list}, the deployment checks and start-up validation all
 * read the same table. Keys starting with {@value #KAFKA_PREFIX} pass through, prefix stripped, to
 * the Kafka clients and Kafka Streams (SASL/SSL included).
 *
 * <p>Build it with {@link ConfigLoader}, which layers defaults, a properties file, environment
 * variables and command-line flags.
 */
public final class AppConfig extends AbstractConfig {

  /** Keys with this prefix go to the Kafka clients and Streams with the prefix removed. */
  public static final String KAFKA_PREFIX = "kafka.";

  public static final String APPLICATION_ID_CONFIG = "application.id";
  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  public static final String INPUT_TOPIC_CONFIG = "input.topic";
  public static final String INPUT_FORMAT_CONFIG = "input.format";
  public static final String AUDIT_TOPIC_CONFIG = "audit.topic";
  public static final String AUDIT_FORMAT_CONFIG = "audit.format";
  public static final String DLQ_TOPIC_CONFIG = "dlq.topic";
  public static final String LABELS_TOPIC_CONFIG = "labels.topic";
  public static final String MISPREDICTIONS_TOPIC_CONFIG = "mispredictions.topic";
  public static final String LABEL_JOIN_RETENTION_MS_CONFIG = "label.join.retention.ms";
  public static final String LABEL_JOIN_ENABLED_CONFIG = "label.join.enabled";
  public static final String MODEL_PATH_CONFIG = "model.path";
  public static final String SALIENCY_VARIANT_CONFIG = "saliency.variant";
  public static final String SALIENCY_KEEP_PREFIX_CONFIG = "saliency.keep.prefix";
  public static final String SALIENCY_SCORE_CONFIG = "saliency.score";
  public static final String SALIENCY_TOP_K_CONFIG = "saliency.top.k";
  public static final String SALIENCY_MAX_H_BATCH_CONFIG = "saliency.max.h.batch";
  public static final String SALIENCY_RESIDUAL_CONFIG = "saliency.residual";
  public static final String SALIENCY_BLOCK_CONFIG = "saliency.block";
  public static final String SALIENCY_CUT_NODE_CONFIG = "saliency.cut.node";
  public static final String MODEL_LABELS_FILE_CONFIG = "model.labels.file";
  public static final String PREPROCESS_SIZE_CONFIG = "preprocess.size";
  public static final String PREPROCESS_RESIZE_CONFIG = "preprocess.resize";
  public static final String PREPROCESS_CROP_CONFIG = "preprocess.crop";
  public static final String PREPROCESS_CHANNELS_CONFIG = "preprocess.channels";
  public static final String PREPROCESS_MEAN_CONFIG = "preprocess.mean";
  public static final String PREPROCESS_STD_CONFIG = "preprocess.std";
  public static final String ENGINE_H_MODE_CONFIG = "engine.h.mode";
  public static final String DEVICE_CONFIG = "device";
  public static final String ONNX_INTRA_OP_THREADS_CONFIG = "onnx.intra.op.threads";
  public static final String ONNX_INTRA_OP_SPINNING_CONFIG = "onnx.intra.op.spinning";
  public static final String IMAGE_MAX_BYTES_CONFIG = "image.max.bytes";
  public static final String IMAGE_MAX_PIXELS_CONFIG = "image.max.pixels";
  public static final String URI_FETCH_TIMEOUT_MS_CONFIG = "uri.fetch.timeout.ms";
  public static final String URI_FILE_ALLOWED_DIRS_CONFIG = "uri.file.allowed.dirs";
  public static final String URI_HTTP_ALLOWED_HOSTS_CONFIG = "uri.http.allowed.hosts";
  public static final String URI_HTTP_ALLOW_PRIVATE_CONFIG = "uri.http.allow.private";
  public static final String URI_HTTP_MAX_REDIRECTS_CONFIG = "uri.http.max.redirects";
  public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
  public static final String BATCH_MAX_RECORDS_CONFIG = "batch.max.records";
  public static final String BATCH_MAX_WAIT_MS_CONFIG = "batch.max.wait.ms";
  public static final String BATCH_OVERLAP_CONFIG = "batch.overlap";
  public static final String HTTP_PORT_CONFIG = "http.port";
  public static final String HTTP_BIND_ADDRESS_CONFIG = "http.bind.address";
  public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "shutdown.timeout.ms";
  public static final String QUALITY_SAMPLE_RATE_CONFIG = "quality.sample.rate";
  public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";
  public static final String REPLICATION_FACTOR_CONFIG = "replication.factor";
  public static final String MAX_POLL_RECORDS_CONFIG = "max.poll.records";
  public static final String MAX_POLL_INTERVAL_MS_CONFIG = "max.poll.interval.ms";
  public static final String TRANSACTION_TIMEOUT_MS_CONFIG = "transaction.timeout.ms";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";

  /** Head-room above {@code image.max.bytes} for the headers a DLQ record adds to an image. */
  static final int DLQ_RECORD_OVERHEAD_BYTES = 1024 * 1024;

  private static final ConfigDef CONFIG = ConfigDefinitions.all();

  /** Keys whose Kafka-side name a {@code kafka.} key must not set a second time. */
  private static final Map<String, String> MANAGED_KAFKA_KEYS = managedKafkaKeys();

  /**
   * Builds the configuration from raw key/value pairs (strings or typed values).
   *
   * @throws ConfigException naming the key, the bad value and what is allowed
   */
  public AppConfig(Map<String, ?> props) {
    super(CONFIG, checked(props), false);
  }

  /** A copy of the definition of every key this application knows. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * Why {@code value} is not acceptable for {@code key}, or null when it is. Unknown keys outside
   * {@value #KAFKA_PREFIX} are errors so that a typo cannot silently fall back to a default.
   */
  public static String problem(String key, Object value) {
    ConfigKey def = CONFIG.configKeys().get(key);
    if (def == null) {
      if (!key.startsWith(KAFKA_PREFIX) || key.length() == KAFKA_PREFIX.length()) {
        return "Unknown configuration key '"
            + key
            + "'; run `config --list` for the known keys,"
            + " or prefix Kafka client settings with "
            + KAFKA_PREFIX;
      }
      String kafkaKey = key.substring(KAFKA_PREFIX.length());
      String owner = MANAGED_KAFKA_KEYS.get(kafkaKey);
      if (owner != null) {
        return key + " would override the application key " + owner + "; set " + owner + " instead";
      }
      return null;
    }
    try {
      Object parsed = ConfigDef.parseType(key, value, def.type);
      if (def.validator != null) {
        def.validator.ensureValid(key, parsed);
      }
      return null;
    } catch (ConfigException e) {
      return String.format(
          "Invalid value '%s' for %s: %s; allowed: %s",
          Secrets.mask(key, String.valueOf(value)), key, reason(key, e), allowed(def));
    }
  }

  private static Map<String, ?> checked(Map<String, ?> props) {
    for (Map.Entry<String, ?> e : props.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        throw new ConfigException(problem);
      }
    }
    return props;
  }

  /** What a known key accepts, in words, for the flags' help. */
  public static String allowed(String key) {
    return allowed(CONFIG.configKeys().get(key));
  }

  /** What a key accepts, in words, for error messages and {@code config --list}. */
  static String allowed(ConfigKey def) {
    if (def.validator != null) {
      return def.validator.toString();
    }
    return switch (def.type) {
      case BOOLEAN -> "true or false";
      case INT -> "an integer";
      case LONG -> "a long integer";
      case DOUBLE -> "a number";
      default -> "any " + def.type.name().toLowerCase();
    };
  }

  /** ConfigException repeats key and value (unmasked); keep only its explanation. */
  private static String reason(String key, ConfigException e) {
    String m = String.valueOf(e.getMessage());
    String marker = " for configuration " + key + ": ";
    int at = m.indexOf(marker);
    return at < 0 ? "not accepted" : m.substring(at + marker.length());
  }

  private static Map<String, String> managedKafkaKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k :
        new String[] {
          APPLICATION_ID_CONFIG, BOOTSTRAP_SERVERS_CONFIG, NUM_STREAM_THREADS_CONFIG,
          PROCESSING_GUARANTEE_CONFIG, REPLICATION_FACTOR_CONFIG, MAX_POLL_RECORDS_CONFIG,
          MAX_POLL_INTERVAL_MS_CONFIG, TRANSACTION_TIMEOUT_MS_CONFIG, COMMIT_INTERVAL_MS_CONFIG
        }) {
      m.put(k, k);
    }
    m.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ_TOPIC_CONFIG);
    return Map.copyOf(m);
  }

  /** The value of a key whose values are the names of {@code type}'s constants. */
  public <E extends Enum<E> & Choice> E getChoice(String key, Class<E> type) {
    return Choices.parse(type, key, getString(key));
  }

  /** The {@code kafka.*} settings with the prefix removed, in key order. */
  public Map<String, Object> kafkaPassThrough() {
    return new TreeMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
  }

  /**
   * Properties for {@link org.apache.kafka.streams.KafkaStreams}: the application's keys mapped to
   * Kafka Streams and client settings sized for slow inference, then every {@code kafka.*} key.
   */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS_CONFIG));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE_CONFIG));
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, getInt(REPLICATION_FACTOR_CONFIG));
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, getString(DLQ_TOPIC_CONFIG));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
        getInt(MAX_POLL_RECORDS_CONFIG));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        getInt(MAX_POLL_INTERVAL_MS_CONFIG));
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        getInt(TRANSACTION_TIMEOUT_MS_CONFIG));
    // A DLQ record carries the original image: the producer must accept one that big.
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), dlqRecordMaxBytes());
    p.putAll(kafkaPassThrough());
    return p;
  }

  /**
   * The largest dead-letter record: a whole image plus headers. DLQ topics need a {@code
   * max.message.bytes}, and producers writing them a {@code max.request.size}, this large.
   */
  public int dlqRecordMaxBytes() {
    return getInt(IMAGE_MAX_BYTES_CONFIG) + DLQ_RECORD_OVERHEAD_BYTES;
  }

  /**
   * Settings for plain producers, consumers and admin clients (demo, replay, render): the brokers
   * and every {@code kafka.*} key, so SASL/SSL reaches them as it reaches Kafka Streams.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> m = new TreeMap<>();
    m.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
    m.putAll(kafkaPassThrough());
    return m;
  }

  /**
   * The effective configuration, one {@code key=value} per line in key order, secrets replaced by
   * {@value Secrets#HIDDEN}: the application's keys, then the {@code kafka.*} ones.
   */
  public String dump() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(values())
        .forEach((k, v) -> line(out, k, v == null ? "" : ConfigDef.convertToString(v, typeOf(k))));
    kafkaPassThrough().forEach((k, v) -> line(out, KAFKA_PREFIX + k, String.valueOf(v)));
    return out.toString();
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(key).append('=').append(Secrets.mask(key, value)).append('\n');
  }

  @Override
  public String toString() {
    return "AppConfig{\n" + dump() + "}";
  }
}
