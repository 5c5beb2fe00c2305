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
import org.vitaudit.dashboard.Dashboard;
import org.vitaudit.dashboard.DashboardSettings;
import org.vitaudit.dashboard.StartAt;
import org.vitaudit.kafka.EmbeddedKafka;

/**
 * The demo: a Kafka broker in this process where no cluster is named, the auditing application on
 * it, the live dashboard over its topics, generated scenes (and corrupt events) in, overlays and a
 * summary out.
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

  /** The dashboard listens on this machine only: the demo's broker does too. */
  static final String DASHBOARD_HOST = "127.0.0.1";

  private final EmbeddedKafka broker;
  private final AuditApplication app;
  private final Dashboard dashboard;
  private final AppConfig config;

  private Demo(EmbeddedKafka broker, AuditApplication app, Dashboard dashboard, AppConfig config) {
    this.broker = broker;
    this.app = app;
    this.dashboard = dashboard;
    this.config = config;
  }

  /**
   * Starts a broker (where {@code startBroker}), then the application, then the dashboard over its
   * topics from their beginning.
   *
   * @param load the configuration, given the demo's defaults (below every other source)
   * @param dashboardPort the dashboard's port; where it is taken, any free one (0: any free one)
   */
  public static Demo start(
      boolean startBroker,
      Function<Map<String, String>, AppConfig> load,
      int dashboardPort,
      Listener listener)
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
    AuditApplication app = null;
    try {
      if (startBroker) {
        listener.note("starting a Kafka broker in this process ...");
        broker = EmbeddedKafka.start();
        defaults.put(AppConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        defaults.put(AppConfig.REPLICATION_FACTOR_CONFIG, "1");
      }
      AppConfig config = load.apply(defaults);
      listener.note("starting the auditing application ...");
      app = AuditApplication.start(config);
      Dashboard dashboard = startDashboard(config, dashboardPort);
      listener.note("dashboard: " + url(dashboard));
      return new Demo(broker, app, dashboard, config);
    } catch (RuntimeException | Error e) {
      if (app != null) {
        app.close();
      }
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /** On {@code port}, or on any free port where another program holds it. */
  private static Dashboard startDashboard(AppConfig config, int port) {
    try {
      return Dashboard.start(
          config, DashboardSettings.DEFAULTS, new StartAt.Beginning(), DASHBOARD_HOST, port);
    } catch (RuntimeException taken) {
      if (port == 0) {
        throw taken;
      }
      return Dashboard.start(
          config, DashboardSettings.DEFAULTS, new StartAt.Beginning(), DASHBOARD_HOST, 0);
    }
  }

  private static String url(Dashboard d) {
    return "http://localhost:" + d.port() + "/";
  }

  public AppConfig config() {
    return config;
  }

  public int httpPort() {
    return app.httpPort();
  }

  /** The dashboard's page, e.g. {@code http://localhost:8090/}. */
  public String dashboardUrl() {
    return url(dashboard);
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
    try {
      dashboard.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.close();
    if (broker != null) {
      broker.close();
    }
  }
}
