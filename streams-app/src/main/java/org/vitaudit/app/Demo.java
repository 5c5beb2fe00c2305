package org.vitaudit.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.vitaudit.config.AppConfig;
import org.vitaudit.kafka.EmbeddedKafka;

/**
 * The demo: a Kafka broker in this process where no cluster is named, the auditing application on
 * it, generated scenes (and corrupt events) in, overlays and a summary out.
 */
public final class Demo implements AutoCloseable {
  /** What the demo tells as it goes. */
  public interface Listener {
    /** A step begins or ends: one line. */
    void note(String line);

    /** The outcomes collected so far, told whenever the counts may have moved. */
    void outcomes(int audited, int deadLettered, int total);
  }

  /**
   * @param complete whether every event sent has an outcome
   */
  public record Result(DemoReport report, boolean complete) {}

  private final EmbeddedKafka broker;
  private final AuditApplication app;
  private final AppConfig config;

  private Demo(EmbeddedKafka broker, AuditApplication app, AppConfig config) {
    this.broker = broker;
    this.app = app;
    this.config = config;
  }

  /**
   * Starts a broker (where {@code startBroker}), then the application.
   *
   * @param load the configuration, given the demo's defaults (below every other source)
   */
  public static Demo start(
      boolean startBroker, Function<Map<String, String>, AppConfig> load, Listener listener)
      throws IOException {
    Map<String, String> defaults =
        new HashMap<>(
            Map.of(
                AppConfig.APPLICATION_ID_CONFIG,
                "vit-audit-demo",
                AppConfig.HTTP_PORT_CONFIG,
                "0",
                "kafka.state.dir",
                Files.createTempDirectory("vit-audit-demo-state").toString()));
    EmbeddedKafka broker = null;
    try {
      if (startBroker) {
        listener.note("starting a Kafka broker in this process ...");
        broker = EmbeddedKafka.start();
        defaults.put(AppConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        defaults.put(AppConfig.REPLICATION_FACTOR_CONFIG, "1");
      }
      AppConfig config = load.apply(defaults);
      listener.note("starting the auditing application ...");
      return new Demo(broker, AuditApplication.start(config), config);
    } catch (RuntimeException | Error e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  public AppConfig config() {
    return config;
  }

  public int httpPort() {
    return app.httpPort();
  }

  /**
   * Sends {@code events} scenes (and a corrupt event for every 20), waits for their outcomes, and
   * writes an overlay per audited event and {@code summary.json} into {@code out}.
   */
  public Result run(int events, long seed, Duration timeout, Path out, Listener listener)
      throws IOException {
    String runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
    List<DemoEvents.Sent> sent = DemoEvents.make(runId, events, seed, 20);
    String input = config.getString(AppConfig.INPUT_TOPIC_CONFIG);
    DemoEvents.produce(config.clientProperties(), input, sent);
    listener.note(
        String.format(
            Locale.ROOT,
            "sent %d events to %s (%d of them corrupt)",
            sent.size(),
            input,
            sent.stream().filter(s -> s.scene().isEmpty()).count()));
    AuditCollector.Outcomes outcomes =
        AuditCollector.collect(
            config,
            sent.stream().map(DemoEvents.Sent::eventId).collect(Collectors.toSet()),
            timeout,
            (audited, dead) -> listener.outcomes(audited, dead, sent.size()));
    DemoReport report = DemoReport.of(sent, outcomes);
    report.write(out, sent, outcomes);
    return new Result(report, outcomes.total() == sent.size());
  }

  /** Keeps the broker and the application running until the process is stopped (Ctrl-C). */
  public void followUntilStopped() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "vit-audit-demo-shutdown"));
    app.awaitStop();
  }

  @Override
  public void close() {
    app.close();
    if (broker != null) {
      broker.close();
    }
  }
}
