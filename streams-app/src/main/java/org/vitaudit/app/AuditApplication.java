package org.vitaudit.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqHandlers;
import org.vitaudit.dlq.NotTheRecordsFault;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.http.AdminHttpServer;
import org.vitaudit.http.Readiness;
import org.vitaudit.http.StreamsProbes;
import org.vitaudit.kafka.Topics;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.stream.AuditTopology;
import org.vitaudit.stream.ModelFailedException;

/**
 * The running application: Kafka Streams on the audit topology, the health and metrics endpoints,
 * and an orderly stop. Starting and stopping live here; the topology knows nothing of them.
 *
 * <p>A model that no longer runs stops the instance rather than dead-letter every event: where the
 * model fails at run time on an event and on the blank input it ran at start ({@link
 * ModelFailedException}), the task fails without committing the event, the Streams client shuts
 * down (its partitions go to the other instances), and the process stays up, not ready, with the
 * reason on {@code /health/ready} and {@code vitaudit_model_up} 0. For {@code run}, a model that
 * cannot be opened at all does the same from the start ({@link #startOrStandBy}).
 */
public final class AuditApplication implements AutoCloseable {
  private final AtomicBoolean closing = new AtomicBoolean();
  private static final Logger LOG = LoggerFactory.getLogger(AuditApplication.class);

  private final AppConfig config;
  private final AuditorFactory.Opened model; // null where the model could not be opened
  private final KafkaStreams streams; // null likewise: nothing is consumed
  private final AdminHttpServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AutoCloseable streamsMetrics;
  private final AtomicReference<String> modelFailure;

  private AuditApplication(
      AppConfig config,
      AuditorFactory.Opened model,
      KafkaStreams streams,
      AdminHttpServer http,
      AutoCloseable streamsMetrics,
      AtomicReference<String> modelFailure) {
    this.config = config;
    this.model = model;
    this.streams = streams;
    this.http = http;
    this.streamsMetrics = streamsMetrics;
    this.modelFailure = modelFailure;
  }

  /** Opens the model, creates missing topics, starts the HTTP endpoints and the stream. */
  public static AuditApplication start(AppConfig config) {
    return start(config, AuditorFactory.open(config));
  }

  /**
   * For {@code run}: as {@link #start(AppConfig)}, except that where the model cannot be opened (a
   * missing or corrupt file, a model the engine refuses, one that fails on a blank input), the
   * instance consumes nothing and touches no topic: it serves the endpoints, {@code /health/live}
   * 200 and {@code /health/ready} 503 with the reason, until it is stopped. A rollout then halts at
   * this instance instead of crash-looping it, and no event is dead-lettered for the model's fault.
   */
  public static AuditApplication startOrStandBy(AppConfig config) {
    AuditorFactory.Opened model;
    try {
      model = AuditorFactory.open(config);
    } catch (RuntimeException e) {
      return standBy(config, e);
    }
    return start(config, model);
  }

  /** Starts on a model already open, which the application owns from then on (and closes). */
  public static AuditApplication start(AppConfig config, AuditorFactory.Opened model) {
    try {
      createMissingTopics(config);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      AuditMetrics metrics = new AuditMetrics(registry);
      ModelFacts facts = model.auditor().facts();
      metrics.modelInfo(facts.name(), facts.sha256(), facts.provider());
      AtomicReference<String> modelFailure = new AtomicReference<>();
      metrics.modelUp(() -> modelFailure.get() == null);
      Properties props = DlqHandlers.install(config.streamsProperties(), metrics);
      KafkaStreams streams =
          new KafkaStreams(AuditTopology.build(config, model.auditor(), metrics), props);
      AutoCloseable bound = StreamsProbes.bindMetrics(streams, registry);
      Readiness running = StreamsProbes.readiness(streams);
      Readiness ready = () -> Optional.ofNullable(modelFailure.get()).or(running::notReadyBecause);
      AdminHttpServer http = http(config, ready, registry);
      AuditApplication app =
          new AuditApplication(config, model, streams, http, bound, modelFailure);
      streams.setUncaughtExceptionHandler(app::onStreamFailure);
      streams.setStateListener(
          (now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            boolean ended =
                now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR;
            // After a model failure the process stays up, not ready, until it is stopped.
            if (ended && modelFailure.get() == null) {
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

  /** The endpoints alone, not ready for the reason given, and nothing consumed. */
  private static AuditApplication standBy(AppConfig config, RuntimeException cause) {
    String reason = "the model cannot be opened: " + cause.getMessage();
    LOG.error(
        "{}. Not consuming: /health/ready answers 503 (/health/live 200) until this instance is"
            + " stopped; restart it with a model that opens (model.path)",
        reason,
        cause);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new AuditMetrics(registry).modelUp(() -> false);
    AdminHttpServer http = http(config, () -> Optional.of(reason), registry);
    return new AuditApplication(config, null, null, http, () -> {}, new AtomicReference<>(reason));
  }

  /**
   * A stream thread died. Where the model no longer runs, the instance reports it and stays up, not
   * ready; either way the Streams client shuts down, Kafka Streams' own default.
   */
  private StreamThreadExceptionResponse onStreamFailure(Throwable e) {
    if (NotTheRecordsFault.in(e) instanceof ModelFailedException failed) {
      modelFailure.compareAndSet(null, failed.getMessage());
      LOG.error(
          "{}. This instance stops consuming: the event is neither audited nor dead-lettered and"
              + " its offset is not committed, so the instances that take its partitions over (or"
              + " this one, restarted once the model is fixed) audit it. /health/ready answers 503"
              + " until it is restarted.",
          failed.getMessage());
    }
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private static AdminHttpServer http(
      AppConfig config, Readiness ready, PrometheusMeterRegistry registry) {
    String address = config.getString(AppConfig.HTTP_BIND_ADDRESS_CONFIG);
    int port = config.getInt(AppConfig.HTTP_PORT_CONFIG);
    try {
      return AdminHttpServer.start(address, port, ready, registry);
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

  /** The Streams client's state; NOT_RUNNING where the model could not be opened. */
  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
  }

  /** Why the model does not run (it could not be opened, or it stopped running), if it does not. */
  public Optional<String> modelFailure() {
    return Optional.ofNullable(modelFailure.get());
  }

  /**
   * Blocks until the stream stops by itself (an error) or {@link #close()} stops it; where the
   * model does not run, only {@link #close()} ends the wait.
   */
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
    boolean streamsStopped = true;
    if (streams != null) {
      Duration timeout = Duration.ofMillis(config.getLong(AppConfig.SHUTDOWN_TIMEOUT_MS_CONFIG));
      LOG.info("stopping: finishing the records in flight (at most {} ms)", timeout.toMillis());
      streamsStopped = streams.close(new KafkaStreams.CloseOptions().timeout(timeout));
      if (!streamsStopped) {
        LOG.warn(
            "Kafka Streams did not stop within {} ms; the model is left open, as a micro-batch may"
                + " still be running on it",
            timeout.toMillis());
      }
    }
    try {
      streamsMetrics.close();
    } catch (Exception e) {
      LOG.debug("unbinding metrics", e);
    }
    http.close();
    if (model != null && streamsStopped) {
      model.close();
    }
    stopped.countDown();
  }
}
