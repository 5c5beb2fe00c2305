package org.vitaudit.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHandlers;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.http.AdminHttpServer;
import org.vitaudit.http.StreamsProbes;
import org.vitaudit.kafka.Topics;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.stream.AuditTopology;

/**
 * The running application: Kafka Streams on the audit topology, the health and metrics endpoints,
 * and an orderly stop. Starting and stopping live here; the topology knows nothing of them.
 */
public final class AuditApplication implements AutoCloseable {
  private final AtomicBoolean closing = new AtomicBoolean();
  private static final Logger LOG = LoggerFactory.getLogger(AuditApplication.class);

  private final AppConfig config;
  private final AuditorFactory.Opened model;
  private final KafkaStreams streams;
  private final AdminHttpServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AutoCloseable streamsMetrics;

  private AuditApplication(
      AppConfig config,
      AuditorFactory.Opened model,
      KafkaStreams streams,
      AdminHttpServer http,
      AutoCloseable streamsMetrics) {
    this.config = config;
    this.model = model;
    this.streams = streams;
    this.http = http;
    this.streamsMetrics = streamsMetrics;
  }

  /** Opens the model, creates missing topics, starts the HTTP endpoints and the stream. */
  public static AuditApplication start(AppConfig config) {
    AuditorFactory.Opened model = AuditorFactory.open(config);
    try {
      createMissingTopics(config);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      AuditMetrics metrics = new AuditMetrics(registry);
      ModelFacts facts = model.auditor().facts();
      metrics.modelInfo(facts.name(), facts.sha256(), facts.provider());
      Properties props = DlqHandlers.install(config.streamsProperties(), metrics);
      KafkaStreams streams =
          new KafkaStreams(AuditTopology.build(config, model.auditor(), metrics), props);
      AutoCloseable bound = StreamsProbes.bindMetrics(streams, registry);
      AdminHttpServer http = http(config, streams, registry);
      AuditApplication app = new AuditApplication(config, model, streams, http, bound);
      streams.setStateListener(
          (now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
              app.stopped.countDown();
            }
          });
      streams.start();
      LOG.info(
          "auditing {} -> {} with model {} ({}), http on port {}",
          config.getString(AppConfig.INPUT_TOPIC_CONFIG),
          config.getString(AppConfig.AUDIT_TOPIC_CONFIG),
          facts.name(),
          facts.provider(),
          http.port());
      return app;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static AdminHttpServer http(
      AppConfig config, KafkaStreams streams, PrometheusMeterRegistry registry) {
    String address = config.getString(AppConfig.HTTP_BIND_ADDRESS_CONFIG);
    int port = config.getInt(AppConfig.HTTP_PORT_CONFIG);
    try {
      return AdminHttpServer.start(address, port, StreamsProbes.runningCheck(streams), registry);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot serve HTTP on "
              + address
              + " port "
              + port
              + " ("
              + e.getMessage()
              + "); set http.port to a free port, or 0 for any, and http.bind.address to an"
              + " address of this host",
          e);
    }
  }

  /**
   * The topics the application reads and writes, made where missing with the brokers' defaults; the
   * dead-letter topic must take a whole image plus headers.
   */
  public static void createMissingTopics(AppConfig config) {
    short replication = (short) (int) config.getInt(AppConfig.REPLICATION_FACTOR_CONFIG);
    String maxBytes = String.valueOf(config.dlqRecordMaxBytes());
    Map<String, Object> admin = config.clientProperties();
    Topics.create(
        admin,
        1,
        replication,
        Map.of("max.message.bytes", maxBytes),
        List.of(
            config.getString(AppConfig.INPUT_TOPIC_CONFIG),
            config.getString(AppConfig.DLQ_TOPIC_CONFIG)));
    Topics.create(
        admin,
        1,
        replication,
        Map.of(),
        List.of(
            config.getString(AppConfig.AUDIT_TOPIC_CONFIG),
            config.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG),
            config.getString(AppConfig.LABELS_TOPIC_CONFIG)));
  }

  public int httpPort() {
    return http.port();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Blocks until the stream stops by itself (an error) or {@link #close()} stops it. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops taking records, lets the records in flight finish and commit, and closes everything
   * within {@code shutdown.timeout.ms}.
   */
  @Override
  public void close() {
    // demo --follow closes from its shutdown hook and then from its own finally block.
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Duration timeout = Duration.ofMillis(config.getLong(AppConfig.SHUTDOWN_TIMEOUT_MS_CONFIG));
    LOG.info("stopping: finishing the records in flight (at most {} ms)", timeout.toMillis());
    boolean clean = streams.close(new KafkaStreams.CloseOptions().timeout(timeout));
    if (!clean) {
      LOG.warn("Kafka Streams did not stop within {} ms", timeout.toMillis());
    }
    try {
      streamsMetrics.close();
    } catch (Exception e) {
      LOG.debug("unbinding metrics", e);
    }
    http.close();
    model.close();
    stopped.countDown();
  }
}
