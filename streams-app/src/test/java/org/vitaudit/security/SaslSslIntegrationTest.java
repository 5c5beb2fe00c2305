package org.vitaudit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import org.vitaudit.replay.ReplayOutput;
import org.vitaudit.stream.StreamIntegrationTest;
import org.vitaudit.stream.StreamTestSupport;
import org.vitaudit.testing.SaslSslBroker;
import org.vitaudit.testing.TestBroker;
import org.vitaudit.testing.ThrowawayCa;

/**
 * A cluster that only speaks SASL_SSL (SCRAM-SHA-512, a certificate from a CA made for the test):
 * the application, {@code dashboard}, {@code replay}, {@code tail} and {@code config}, each its own
 * JVM configured only through {@code kafka.*} keys (a properties file, the secrets from the
 * environment or the file), all work; clients without the password or the CA are refused; and no
 * password shows up in anything any of them printed, Kafka's configuration dumps at INFO included.
 */
@Tag("integration")
class SaslSslIntegrationTest {

  private static final String USER = "vit-audit";

  /** Random, so that finding one in a log can only mean it leaked from the configuration. */
  private static final String SCRAM_PASSWORD = "scram-pw-" + UUID.randomUUID();

  private static final String TRUSTSTORE_PASSWORD = "truststore-pw-" + UUID.randomUUID();
  private static final String KEYSTORE_PASSWORD = "keystore-pw-" + UUID.randomUUID();
  private static final List<String> SECRETS =
      List.of(SCRAM_PASSWORD, TRUSTSTORE_PASSWORD, KEYSTORE_PASSWORD);

  private static final Pattern DASHBOARD_URL = Pattern.compile("http://localhost:(\\d+)/");

  @TempDir Path tmp;

  private final List<Path> outputs = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @Test
  void everyClientWorksOverSaslSslAndNoSecretIsPrintedOrLogged() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(tmp, KEYSTORE_PASSWORD, TRUSTSTORE_PASSWORD);
    try (SaslSslBroker broker = SaslSslBroker.start(ca, USER, SCRAM_PASSWORD)) {
      // The application as deployed: a properties file without secrets, the secrets from the
      // environment. The commands as an operator runs them: one client.properties with all of it.
      Map<String, String> all = StreamIntegrationTest.settings(broker, tmp.resolve("state"));
      broker.clientSettings(USER, SCRAM_PASSWORD).forEach((k, v) -> all.put("kafka." + k, v));
      Map<String, String> withoutSecrets = new HashMap<>(all);
      Map<String, String> secretEnv = new HashMap<>();
      for (String key : List.of("kafka.sasl.jaas.config", "kafka.ssl.truststore.password")) {
        secretEnv.put(ConfigLoader.environmentVariable(key), withoutSecrets.remove(key));
      }
      Path appFile = properties("app", withoutSecrets);
      Path cliFile = properties("cli", all);
      AppConfig c = new AppConfig(all);
      String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
      broker.createTopics(
          1,
          in,
          c.getString(AppConfig.AUDIT_TOPIC_CONFIG),
          c.getString(AppConfig.DLQ_TOPIC_CONFIG),
          c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG));

      try {
        start("run", secretEnv, "run", "--config", appFile.toString());
        Process dashboard =
            start(
                "dashboard",
                Map.of(),
                "dashboard",
                "--config",
                cliFile.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--from-beginning");
        Process config = start("config", secretEnv, "config", "--config", appFile.toString());
        for (int i = 1; i <= 3; i++) {
          StreamIntegrationTest.send(broker, in, "good-" + i, StreamTestSupport.png(i));
        }
        StreamIntegrationTest.send(broker, in, "empty", new byte[0]);
        byte[] noise = new byte[2000];
        new Random(7).nextBytes(noise);
        StreamIntegrationTest.send(broker, in, "random-bytes", noise);
        Map<String, String> expected =
            Map.of(
                "good-1", "audit",
                "good-2", "audit",
                "good-3", "audit",
                "empty", "empty_image",
                "random-bytes", "unsupported_format");
        assertThat(StreamIntegrationTest.outcomes(broker, c, 5))
            .as("what the application wrote over SASL_SSL")
            .containsExactlyInAnyOrderEntriesOf(expected);

        // The audits are committed: replay and tail run side by side while the dashboard is read.
        String replayed = TestBroker.uniqueName("replayed");
        Process replay =
            start(
                "replay",
                Map.of(),
                "replay",
                "--config",
                cliFile.toString(),
                "--from-offsets",
                "0:0",
                "--output-topic",
                replayed);
        Process tail =
            start(
                "tail",
                Map.of(),
                "tail",
                "--config",
                cliFile.toString(),
                "--from-beginning",
                "--max",
                "3",
                "--timeout",
                "60");
        JsonNode summary = awaitDashboard(dashboard, 3, 2);
        assertThat(summary.toString()).doesNotContain(SECRETS);
        refusesClientsWithoutThePasswordOrTheCa(broker);

        assertThat(exitCode(config, 60)).as(read("config")).isZero();
        assertThat(Files.readString(tmp.resolve("config.out")))
            .contains(
                "kafka.security.protocol=SASL_SSL",
                "kafka.sasl.mechanism=SCRAM-SHA-512",
                "kafka.sasl.jaas.config=[hidden]",
                "kafka.ssl.truststore.password=[hidden]",
                "kafka.ssl.truststore.location=" + ca.trustStore());

        assertThat(exitCode(tail, 90)).as(read("tail")).isZero();
        assertThat(Files.readAllLines(tmp.resolve("tail.out")))
            .hasSize(3)
            .allSatisfy(l -> assertThat(l).startsWith("good-"));

        assertThat(exitCode(replay, 120)).as(read("replay")).isZero();
        AppConfig replayTopics =
            new AppConfig(
                Map.of(
                    AppConfig.AUDIT_TOPIC_CONFIG,
                    replayed,
                    AppConfig.DLQ_TOPIC_CONFIG,
                    ReplayOutput.dlqTopic(replayed)));
        assertThat(StreamIntegrationTest.outcomes(broker, replayTopics, 5))
            .as("what replay wrote over SASL_SSL")
            .containsExactlyInAnyOrderEntriesOf(expected);
      } finally {
        stopAll();
      }
      // Kafka's own configuration dumps were captured (at INFO), with the secrets masked ...
      assertThat(read("run"))
          .contains("sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]");
      assertThat(read("dashboard")).contains("sasl.jaas.config = [hidden]");
      // ... and no password is in any line any process printed.
      List<String> leaks = new ArrayList<>();
      for (Path file : outputs) {
        for (String line : Files.readAllLines(file)) {
          if (SECRETS.stream().anyMatch(line::contains)) {
            leaks.add(file.getFileName() + ": " + line);
          }
        }
      }
      assertThat(leaks).as("lines with a password").isEmpty();
    }
  }

  /** No password, a wrong one, or no trust in the CA: the broker lets nobody in. */
  private static void refusesClientsWithoutThePasswordOrTheCa(SaslSslBroker broker) {
    Map<String, Object> wrongPassword = new HashMap<>(broker.clientProperties());
    wrongPassword.putAll(broker.clientSettings(USER, "not-the-password"));
    assertThatThrownBy(() -> describe(wrongPassword))
        .hasCauseInstanceOf(SaslAuthenticationException.class);

    Map<String, Object> unknownCa = new HashMap<>(broker.clientProperties());
    unknownCa.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
    unknownCa.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
    unknownCa.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
    assertThatThrownBy(() -> describe(unknownCa))
        .hasCauseInstanceOf(SslAuthenticationException.class);

    // Plain text never gets an answer from a TLS listener: the request times out.
    Map<String, Object> plaintext =
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    assertThatThrownBy(() -> describe(plaintext)).hasCauseInstanceOf(TimeoutException.class);
  }

  private static void describe(Map<String, Object> props) throws Exception {
    Map<String, Object> p = new HashMap<>(props);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
    }
  }

  private Path properties(String name, Map<String, String> settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    Path file = tmp.resolve(name + ".properties");
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, "SASL_SSL test");
    }
    return file;
  }

  /**
   * Starts {@code org.vitaudit.cli.Main} in a JVM of its own with these environment variables; its
   * standard output goes to {@code name.out}, its standard error (the log, every logger at INFO,
   * Kafka's included) to {@code name.err}.
   */
  private Process start(String name, Map<String, String> env, String... args) throws IOException {
    Path logback = tmp.resolve("logback.xml");
    if (!Files.exists(logback)) {
      Files.writeString(
          logback,
          """
          <configuration>
            <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
              <target>System.err</target>
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n</pattern></encoder>
            </appender>
            <root level="INFO"><appender-ref ref="STDERR"/></root>
          </configuration>
          """);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx1g",
            // Each handles five events: the quick compiler leaves the two cores to the rest.
            "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=" + logback,
            "-cp",
            System.getProperty("java.class.path"),
            "org.vitaudit.cli.Main"));
    command.addAll(List.of(args));
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    outputs.add(out);
    outputs.add(err);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** What a process printed, standard output then standard error. */
  private String read(String name) throws IOException {
    return Files.readString(tmp.resolve(name + ".out"))
        + Files.readString(tmp.resolve(name + ".err"));
  }

  private static int exitCode(Process p, int seconds) throws InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after " + seconds + " s");
    }
    return p.exitValue();
  }

  /** SIGTERM, the orderly stop, to every process still running; SIGKILL after a minute. */
  private void stopAll() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Polls the dashboard's summary until it counts the audits and dead letters. */
  private JsonNode awaitDashboard(Process dashboard, long audited, long deadLetters)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode summary = null;
    while (System.nanoTime() < deadline) {
      assertThat(dashboard.isAlive()).as(read("dashboard")).isTrue();
      Matcher url = DASHBOARD_URL.matcher(Files.readString(tmp.resolve("dashboard.out")));
      if (url.find()) {
        String body =
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + url.group(1) + "/api/summary"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
        summary = json.readTree(body);
        if (summary.get("audited").asLong() == audited
            && summary.get("deadLetters").asLong() == deadLetters) {
          return summary;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the dashboard never counted them; last summary: " + summary);
  }
}
