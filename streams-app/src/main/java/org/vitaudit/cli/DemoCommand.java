package org.vitaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.AuditCollector;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.app.DemoReport;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.config.AppConfig;
import org.vitaudit.serde.AuditFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the main job on the embedded default. A real Kafka broker in this process, the
 * auditing application with the bundled demo model, generated scenes (and corrupt events) in,
 * overlays and a summary out.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the whole pipeline on this machine with no setup: starts a single-node Kafka broker"
        + " in-process (unless --bootstrap-servers names a cluster), the auditing application with the bundled"
        + " demo model, produces generated scenes with labels plus corrupt events, reads the audit and"
        + " dead-letter topics, and writes an overlay per event and summary.json."})
final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(names = "--events", paramLabel = "N", defaultValue = "40", description = "Scenes to send (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "3000", description = "Scene seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "Give up waiting for the audit records after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--follow", description = "Keep the broker and the application running afterwards, and print"
      + " how to send images to them with kcat.")
  boolean follow;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < 1) {
      throw new IllegalArgumentException("--events must be at least 1");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EmbeddedKafka broker = null;
    AuditApplication app = null;
    try {
      Map<String, String> defaults = new HashMap<>(Map.of(AppConfig.APPLICATION_ID_CONFIG, "vit-audit-demo",
          AppConfig.HTTP_PORT_CONFIG, "0", "kafka.state.dir", Files.createTempDirectory("vit-audit-demo-state").toString()));
      if (config.bootstrapServers == null) {
        err.println("starting a Kafka broker in this process ...");
        broker = EmbeddedKafka.start();
        defaults.put(AppConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        defaults.put(AppConfig.REPLICATION_FACTOR_CONFIG, "1");
      }
      AppConfig c = config.load(System.getenv(), defaults, "demo");
      err.println("starting the auditing application ...");
      app = AuditApplication.start(c);
      String runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
      List<DemoEvents.Sent> sent = DemoEvents.make(runId, events, seed, 20);
      DemoEvents.produce(c.clientProperties(), c.getString(AppConfig.INPUT_TOPIC_CONFIG), sent);
      err.printf(Locale.ROOT, "sent %d events to %s (%d of them corrupt)%n", sent.size(),
          c.getString(AppConfig.INPUT_TOPIC_CONFIG), sent.stream().filter(s -> s.scene().isEmpty()).count());
      AuditCollector.Outcomes outcomes = AuditCollector.collect(c.clientProperties(),
          c.getString(AppConfig.AUDIT_TOPIC_CONFIG), c.getString(AppConfig.DLQ_TOPIC_CONFIG),
          AuditFormat.of(c).serde().deserializer(),
          sent.stream().map(DemoEvents.Sent::eventId).collect(Collectors.toSet()), Duration.ofSeconds(timeoutSeconds),
          new Progress(err, sent.size())::update);
      err.println();
      DemoReport report = DemoReport.of(sent, outcomes);
      report.write(out, sent, outcomes);
      summary(stdout, report);
      if (follow) {
        follow(stdout, c, app);
      }
      return outcomes.total() == sent.size() ? 0 : 1;
    } finally {
      if (app != null) {
        app.close();
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** The progress line, redrawn only when a count moves. */
  private record Progress(PrintWriter err, int total, int[] last) {
    Progress(PrintWriter err, int total) {
      this(err, total, new int[] {-1, -1});
    }

    void update(int audited, int dead) {
      if (audited != last[0] || dead != last[1]) {
        last[0] = audited;
        last[1] = dead;
        err.printf(Locale.ROOT, "\rwaiting for outcomes: %d audited, %d dead-lettered, %d/%d", audited, dead,
            audited + dead, total);
        err.flush();
      }
    }
  }

  private void summary(PrintWriter out, DemoReport r) {
    out.printf(Locale.ROOT, "%d events: %d audited, %d dead-lettered%n", r.events(), r.audited(), r.dlq());
    out.printf(Locale.ROOT, "accuracy %s, pointing game %s, latency p50 %.1f ms, p95 %.1f ms%n",
        r.accuracy().map(a -> String.format(Locale.ROOT, "%.1f %%", a)).orElse("n/a"),
        r.pointing().map(a -> String.format(Locale.ROOT, "%.1f %%", a)).orElse("n/a"), r.p50Millis(), r.p95Millis());
    out.println("overlays and summary.json in " + this.out.toAbsolutePath());
    out.flush();
  }

  private static void follow(PrintWriter out, AppConfig c, AuditApplication app) throws InterruptedException {
    String bootstrap = c.getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG);
    out.println();
    out.println("broker and application keep running (Ctrl-C to stop); bootstrap servers: " + bootstrap);
    out.println("metrics: http://localhost:" + app.httpPort() + "/metrics");
    out.println("send an image:   kcat -P -b " + bootstrap + " -t " + c.getString(AppConfig.INPUT_TOPIC_CONFIG)
        + " -k my-event -H label=star image.png");
    out.println("read audits:     kcat -C -b " + bootstrap + " -t " + c.getString(AppConfig.AUDIT_TOPIC_CONFIG)
        + " -f '%k %s\\n' -e   (audit.format=json to read them as text: --set audit.format=json)");
    out.println("read dead letters: kcat -C -b " + bootstrap + " -t " + c.getString(AppConfig.DLQ_TOPIC_CONFIG)
        + " -f '%k %h\\n' -e");
    out.flush();
    Thread stopper = new Thread(app::close, "vit-audit-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    app.awaitStop();
  }
}
