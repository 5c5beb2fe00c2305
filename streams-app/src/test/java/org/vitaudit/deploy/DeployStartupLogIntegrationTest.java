package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import org.vitaudit.http.AdminHttpServer;
import org.vitaudit.testing.Fixture;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.TestBroker;

/**
 * The application started as the deployments start it (properties file plus VITAUDIT_* secrets in
 * the environment) logs its start-up, and Kafka's client and Streams configuration dumps, at INFO
 * without the SASL password, and does not expose it on /metrics either.
 */
@KafkaBroker
class DeployStartupLogIntegrationTest {

  @TempDir Path tmp;

  @Test
  void startUpLogsAndMetricsNeverShowTheSaslPassword(TestBroker broker) throws Exception {
    Path file = tmp.resolve("app.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "bootstrap.servers=" + broker.bootstrapServers(),
            "application.id=" + TestBroker.uniqueName("vit-audit-secrets"),
            "input.topic=" + TestBroker.uniqueName("images"),
            "audit.topic=" + TestBroker.uniqueName("audit"),
            "dlq.topic=" + TestBroker.uniqueName("dlq"),
            "mispredictions.topic=" + TestBroker.uniqueName("mispredictions"),
            "model.path=" + Fixture.named("timm_vit").onnx(),
            "replication.factor=1",
            "http.port=0",
            // The test broker speaks PLAINTEXT: the SASL settings reach every client, unused.
            "kafka.sasl.mechanism=SCRAM-SHA-512",
            "kafka.state.dir=" + tmp.resolve("state")));
    AppConfig config =
        new ConfigLoader().file(file).environment(DeploySecretsTest.SECRET_ENV).load();
    assertThat(config.kafkaPassThrough()).containsEntry("sasl.jaas.config", DeploySecretsTest.JAAS);

    List<String> lines;
    String metrics;
    try (CapturedLog log = CapturedLog.atInfo("org.vitaudit", "org.apache.kafka", "kafka")) {
      try (AuditApplication app = AuditApplication.start(config)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (app.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://localhost:"
                                    + app.httpPort()
                                    + AdminHttpServer.METRICS_PATH))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      }
      lines = log.lines();
    }
    String all = String.join("\n", lines);
    // The capture saw the start-up and Kafka's configuration dumps, with the JAAS line masked ...
    assertThat(all).contains("auditing ").contains("sasl.jaas.config = [hidden]");
    // ... and the secrets nowhere.
    for (String secret : DeploySecretsTest.SECRET_ENV.values()) {
      assertThat(all).doesNotContain(secret);
      assertThat(metrics).doesNotContain(secret);
    }
    assertThat(all).doesNotContain(DeploySecretsTest.PASSWORD);
    assertThat(metrics).doesNotContain(DeploySecretsTest.PASSWORD).contains("vitaudit_");
  }

  /** Every log event of the JVM while open, with the named loggers lowered to INFO. */
  private static final class CapturedLog implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Map<Logger, Level> saved = new HashMap<>();

    private CapturedLog(String... loggers) {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      for (String name : loggers) {
        Logger l = context.getLogger(name);
        saved.put(l, l.getLevel());
        l.setLevel(Level.INFO);
      }
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
    }

    static CapturedLog atInfo(String... loggers) {
      return new CapturedLog(loggers);
    }

    /** Messages with their arguments filled in, and any stack traces. */
    List<String> lines() {
      List<ILoggingEvent> events;
      synchronized (appender) {
        events = new ArrayList<>(appender.list);
      }
      return events.stream()
          .map(
              e ->
                  e.getLoggerName()
                      + " "
                      + e.getFormattedMessage()
                      + (e.getThrowableProxy() == null
                          ? ""
                          : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
          .collect(Collectors.toList());
    }

    @Override
    public void close() {
      root.detachAppender(appender);
      appender.stop();
      saved.forEach(Logger::setLevel);
    }
  }
}
