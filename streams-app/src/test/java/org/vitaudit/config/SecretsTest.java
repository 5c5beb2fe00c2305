package org.vitaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

  /** Values that must never appear in any output. */
  private static final List<String> SECRETS =
      List.of(
          "jaas-s3cr3t-value",
          "ssl-key-pw-s3cr3t",
          "keystore-pw-s3cr3t",
          "truststore-pw-s3cr3t",
          "PEM-PRIVATE-KEY-s3cr3t",
          "oauth-client-s3cr3t",
          "token-s3cr3t",
          "basic-auth-s3cr3t");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kafka.sasl.jaas.config",
        "kafka.ssl.key.password",
        "kafka.ssl.keystore.password",
        "kafka.ssl.keystore.key",
        "kafka.sasl.oauthbearer.client.credentials.client.secret",
        "kafka.sasl.login.token",
        "kafka.basic.auth.user.info",
        "kafka.ssl.truststore.password",
        "kafka.sasl.oauthbearer.assertion.private.key.passphrase"
      })
  void secretKeysAreRecognised(String key) {
    assertThat(Secrets.isSecret(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kafka.security.protocol",
        "kafka.sasl.mechanism",
        "kafka.ssl.keystore.location",
        "kafka.default.key.serde",
        "kafka.ssl.keystore.type",
        "input.topic",
        "kafka.ssl.truststore.location"
      })
  void ordinaryKeysStayVisible(String key) {
    assertThat(Secrets.isSecret(key)).isFalse();
  }

  @Test
  void noSecretLeaksThroughDumpToStringOrErrors() throws IOException {
    Path file = dir.resolve("secure.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "kafka.security.protocol=SASL_SSL",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username\\=\"app\" password\\=\"jaas-s3cr3t-value\";",
            "kafka.ssl.key.password=ssl-key-pw-s3cr3t",
            "kafka.ssl.keystore.password=keystore-pw-s3cr3t",
            "kafka.ssl.keystore.key=PEM-PRIVATE-KEY-s3cr3t"));
    AppConfig c =
        new ConfigLoader()
            .file(file)
            .environment(
                Map.of(
                    "VITAUDIT_KAFKA_SSL_TRUSTSTORE_PASSWORD", "truststore-pw-s3cr3t",
                    "VITAUDIT_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET",
                        "oauth-client-s3cr3t"))
            .assignments(
                List.of(
                    "kafka.sasl.login.token=token-s3cr3t",
                    "kafka.basic.auth.user.info=basic-auth-s3cr3t"))
            .load();

    String dump = c.dump() + c.toString();
    for (String secret : SECRETS) {
      assertThat(dump).doesNotContain(secret);
    }
    assertThat(dump)
        .contains(
            "kafka.ssl.key.password=[hidden]",
            "kafka.sasl.jaas.config=[hidden]",
            "kafka.security.protocol=SASL_SSL");
    // The secrets still reach Kafka: masking is for display only.
    assertThat(c.streamsProperties()).containsEntry("ssl.key.password", "ssl-key-pw-s3cr3t");
  }

  @Test
  void aSecretInAnInvalidAssignmentIsNotEchoed() {
    assertThatThrownBy(
            () -> new ConfigLoader().assignments(List.of("kafka.sasl.jaas.config")).load())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jaas.config"));
  }
}
