package org.vitaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppConfigTest {

  @TempDir Path dir;

  @Test
  void theLoggingVariableIsNoConfigurationKey() {
    // logback.xml reads VITAUDIT_LOG_LEVEL; the configuration must not refuse it as an unknown key.
    AppConfig c =
        new ConfigLoader()
            .environment(Map.of("VITAUDIT_LOG_LEVEL", "DEBUG", "VITAUDIT_INPUT_TOPIC", "x"))
            .load();
    assertThat(c.getString(AppConfig.INPUT_TOPIC_CONFIG)).isEqualTo("x");
    assertThat(c.originals()).doesNotContainKey("log.level");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    AppConfig c = new ConfigLoader().load();
    assertThat(c.getString(AppConfig.APPLICATION_ID_CONFIG)).isEqualTo("vit-audit");
    assertThat(c.getString(AppConfig.INPUT_TOPIC_CONFIG)).isEqualTo("images");
    assertThat(c.getString(AppConfig.AUDIT_TOPIC_CONFIG)).isEqualTo("audit.saliency");
    assertThat(c.getString(AppConfig.DLQ_TOPIC_CONFIG)).isEqualTo("audit.dlq");
    assertThat(c.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG)).isEqualTo(20 * 1024 * 1024);
    assertThat(c.getBoolean(AppConfig.SALIENCY_KEEP_PREFIX_CONFIG)).isTrue();
    assertThat(c.getDouble(AppConfig.QUALITY_SAMPLE_RATE_CONFIG)).isEqualTo(0.0);
  }

  @Test
  void laterSourcesWin_fileThenEnvironmentThenFlags() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(
        file,
        "input.topic=from-file\naudit.topic=from-file\ndlq.topic=from-file\nhttp.port=1111\n");
    Map<String, String> env =
        Map.of(
            "VITAUDIT_AUDIT_TOPIC", "from-env",
            "VITAUDIT_DLQ_TOPIC", "from-env",
            "PATH", "/usr/bin",
            "UNRELATED_INPUT_TOPIC", "ignored");

    AppConfig c =
        new ConfigLoader()
            .file(file)
            .environment(env)
            .flag(AppConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093", "--bootstrap-servers")
            .assignments(List.of("dlq.topic=from-flag"))
            .load();

    assertThat(c.getString(AppConfig.INPUT_TOPIC_CONFIG)).isEqualTo("from-file");
    assertThat(c.getString(AppConfig.AUDIT_TOPIC_CONFIG)).isEqualTo("from-env");
    assertThat(c.getString(AppConfig.DLQ_TOPIC_CONFIG)).isEqualTo("from-flag");
    assertThat(c.getInt(AppConfig.HTTP_PORT_CONFIG)).isEqualTo(1111);
    assertThat(c.getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9093");
  }

  @Test
  void environmentVariableNamesFollowTheKeys() {
    assertThat(ConfigLoader.environmentVariable("input.topic")).isEqualTo("VITAUDIT_INPUT_TOPIC");
    assertThat(ConfigLoader.environmentVariable("saliency.max.h.batch"))
        .isEqualTo("VITAUDIT_SALIENCY_MAX_H_BATCH");
    AppConfig c =
        new ConfigLoader()
            .environment(Map.of("VITAUDIT_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))
            .load();
    assertThat(c.streamsProperties()).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void kafkaKeysPassThroughWithoutPrefixAndWinOverDerivedSettings() {
    AppConfig c =
        new ConfigLoader()
            .assignments(
                List.of(
                    "kafka.security.protocol=SASL_SSL",
                    "kafka.sasl.mechanism=SCRAM-SHA-512",
                    "kafka.ssl.truststore.location=/etc/kafka/truststore.jks",
                    "kafka.producer.max.request.size=123456"))
            .load();
    Properties p = c.streamsProperties();
    assertThat(p)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
        .containsEntry("producer.max.request.size", "123456")
        .doesNotContainKey("kafka.security.protocol");
    assertThat(c.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "localhost:9092");
  }

  @Test
  void streamsPropertiesAreSizedForSlowInferenceUnderExactlyOnce() {
    Properties p =
        new ConfigLoader()
            .assignments(
                List.of("replication.factor=3", "num.stream.threads=4", "image.max.bytes=1000"))
            .load()
            .streamsProperties();
    StreamsConfig streams = new StreamsConfig(p);

    assertThat(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo("exactly_once_v2");
    assertThat(streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    assertThat(streams.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(4);
    assertThat(streams.getString(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG))
        .isEqualTo("audit.dlq");
    // A transaction a second, not Kafka Streams' ten under exactly-once.
    assertThat(streams.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(1000);
    Map<String, Object> consumer = streams.getMainConsumerConfigs("g", "c", 0);
    assertThat(consumer)
        .containsEntry("max.poll.records", 10)
        .containsEntry("max.poll.interval.ms", 600_000);
    Map<String, Object> producer = streams.getProducerConfigs("p");
    assertThat(producer)
        .containsEntry("transaction.timeout.ms", 60_000)
        .containsEntry(
            "max.request.size", 1000 + 1024 * 1024); // the image plus 1 MiB for the DLQ headers
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http.port=abc          | Invalid value 'abc' for http.port: Not a number of type INT;"
            + " allowed: [0,...,65535] (from --set)",
        "http.port=70000        | Invalid value '70000' for http.port: Value must be no more than"
            + " 65535; allowed: [0,...,65535] (from --set)",
        "input.format=jpeg      | Invalid value 'jpeg' for input.format: String must be one of:"
            + " raw, avro; allowed: [raw, avro] (from --set)",
        "device=gpu             | Invalid value 'gpu' for device: not a device; allowed: [cpu,"
            + " cuda, cuda:N, auto] (from --set)",
        "quality.sample.rate=2  | Invalid value '2' for quality.sample.rate: Value must be no more"
            + " than 1.0; allowed: [0.0,...,1.0] (from --set)",
        "saliency.residual=sideways | Invalid value 'sideways' for saliency.residual: String must"
            + " be one of: masked-features, masked-input, block-input; allowed: [masked-features,"
            + " masked-input, block-input] (from --set)",
        "saliency.block=0       | Invalid value '0' for saliency.block: Value must be at least 1;"
            + " allowed: [1,...,1000] (from --set)",
        "saliency.keep.prefix=yes | Invalid value 'yes' for saliency.keep.prefix: Expected value to"
            + " be either true or false; allowed: true or false (from --set)",
        "input.topik=x          | Unknown configuration key 'input.topik'; run `config --list` for"
            + " the known keys, or prefix Kafka client settings with kafka. (from --set)",
        "kafka.application.id=x | kafka.application.id would override the application key"
            + " application.id; set application.id instead (from --set)",
        "kafka.errors.dead.letter.queue.topic.name=x | kafka.errors.dead.letter.queue.topic.name"
            + " would override the application key dlq.topic; set dlq.topic instead (from --set)",
        "kafka.commit.interval.ms=100 | kafka.commit.interval.ms would override the application"
            + " key commit.interval.ms; set commit.interval.ms instead (from --set)",
      })
  void invalidValuesFailWithOneLineNamingKeyValueAllowedAndSource(
      String assignment, String message) {
    assertThatThrownBy(() -> new ConfigLoader().assignments(List.of(assignment)).load())
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void deviceAcceptsCudaOrdinals() {
    for (String d : List.of("cpu", "cuda", "cuda:0", "cuda:12", "auto")) {
      assertThat(new ConfigLoader().assignments(List.of("device=" + d)).load().getString("device"))
          .isEqualTo(d);
    }
  }

  @Test
  void errorsNameTheEnvironmentVariableOrFileTheyCameFrom() throws IOException {
    assertThatThrownBy(
            () -> new ConfigLoader().environment(Map.of("VITAUDIT_NUM_STREAM_THREADS", "0")).load())
        .hasMessageEndingWith("(from environment variable VITAUDIT_NUM_STREAM_THREADS)");
    assertThatThrownBy(
            () -> new ConfigLoader().environment(Map.of("VITAUDIT_INPUT_TOPICS", "x")).load())
        .hasMessageContaining("Unknown configuration key 'input.topics'");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "batch.max.records=-1\n");
    assertThatThrownBy(() -> new ConfigLoader().file(file).load())
        .hasMessageEndingWith("(from file " + file + ")");
    assertThatThrownBy(() -> new ConfigLoader().file(dir.resolve("missing.properties")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Cannot read configuration file")
        .hasMessageContaining("missing.properties");
    assertThatThrownBy(() -> new ConfigLoader().assignments(List.of("no-equals-sign")))
        .hasMessageContaining("--set expects key=value");
  }

  @Test
  void everyKeyIsDocumentedOnOneLineWithAnImportance() {
    AppConfig.configDef()
        .configKeys()
        .values()
        .forEach(
            k -> {
              assertThat(k.documentation).as(k.name).isNotBlank().doesNotContain("\n", "\t");
              assertThat(k.importance).as(k.name).isNotNull();
              assertThat(k.hasDefault()).as(k.name).isTrue();
            });
  }
}
