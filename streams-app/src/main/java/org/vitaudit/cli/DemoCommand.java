package org.vitaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vitaudit.app.Demo;
import org.vitaudit.app.DemoReport;
import org.vitaudit.config.AppConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the main job on the embedded default. A real Kafka broker in this process, the
 * auditing application with the bundled demo model, generated scenes (and corrupt events) in,
 * overlays and a summary out.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline on this machine with no setup: starts a single-node Kafka broker"
          + " in-process (unless --bootstrap-servers names a cluster), the auditing application"
          + " with the bundled demo model and the live dashboard (its URL is printed), produces"
          + " generated scenes with labels plus corrupt events, reads the audit and dead-letter"
          + " topics, and writes an overlay per event and summary.json."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "40",
      description = "Scenes to send (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "demo-out",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "3000",
      description = "Scene seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description =
          "Give up waiting for the audit records after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      defaultValue = "8090",
      description =
          "Port of the live dashboard (default: ${DEFAULT-VALUE}; any free one where it is taken,"
              + " 0 for any free one).")
  int dashboardPort;

  @Option(
      names = "--follow",
      description =
          "Keep the broker, the application and the dashboard running afterwards, and print"
              + " how to send images to them with kcat.")
  boolean follow;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < 1 || dashboardPort < 0 || dashboardPort > 65535) {
      throw new IllegalArgumentException(
          "--events must be at least 1 and --dashboard-port 0 to 65535");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err);
    try (Demo demo =
        Demo.start(
            config.bootstrapServers == null,
            defaults -> config.load(System.getenv(), defaults, "demo"),
            dashboardPort,
            progress)) {
      Demo.Result result =
          demo.run(events, seed, Duration.ofSeconds(timeoutSeconds), out, progress);
      err.println();
      summary(stdout, result.report());
      if (follow) {
        follow(stdout, demo);
      }
      return result.complete() ? 0 : 1;
    }
  }

  /** Steps as lines; the progress line redrawn only when a count moves. */
  private record Progress(PrintWriter err, int[] last) implements Demo.Listener {
    Progress(PrintWriter err) {
      this(err, new int[] {-1, -1});
    }

    @Override
    public void note(String line) {
      err.println(line);
    }

    @Override
    public void outcomes(int audited, int dead, int total) {
      if (audited != last[0] || dead != last[1]) {
        last[0] = audited;
        last[1] = dead;
        err.printf(
            Locale.ROOT,
            "\rwaiting for outcomes: %d audited, %d dead-lettered, %d/%d",
            audited,
            dead,
            audited + dead,
            total);
        err.flush();
      }
    }
  }

  private void summary(PrintWriter out, DemoReport r) {
    out.printf(
        Locale.ROOT, "%d events: %d audited, %d dead-lettered%n", r.events(), r.audited(), r.dlq());
    out.printf(
        Locale.ROOT,
        "accuracy %s, pointing game %s, latency p50 %.1f ms, p95 %.1f ms%n",
        r.accuracy().map(a -> String.format(Locale.ROOT, "%.1f %%", a)).orElse("n/a"),
        r.pointing().map(a -> String.format(Locale.ROOT, "%.1f %%", a)).orElse("n/a"),
        r.p50Millis(),
        r.p95Millis());
    out.println("overlays and summary.json in " + this.out.toAbsolutePath());
    out.flush();
  }

  private static void follow(PrintWriter out, Demo demo) throws InterruptedException {
    AppConfig c = demo.config();
    String bootstrap = c.getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG);
    out.println();
    out.println(
        "broker and application keep running (Ctrl-C to stop); bootstrap servers: " + bootstrap);
    out.println("dashboard: " + demo.dashboardUrl());
    out.println("metrics: http://localhost:" + demo.httpPort() + "/metrics");
    out.println(
        "send an image:   kcat -P -b "
            + bootstrap
            + " -t "
            + c.getString(AppConfig.INPUT_TOPIC_CONFIG)
            + " -k my-event -H label=star image.png");
    out.println(
        "read audits:     kcat -C -b "
            + bootstrap
            + " -t "
            + c.getString(AppConfig.AUDIT_TOPIC_CONFIG)
            + " -f '%k %s\\n"
            + "' -e   (audit.format=json to read them as text: --set audit.format=json)");
    out.println(
        "read dead letters: kcat -C -b "
            + bootstrap
            + " -t "
            + c.getString(AppConfig.DLQ_TOPIC_CONFIG)
            + " -f '%k %h\\n' -e");
    out.flush();
    demo.followUntilStopped();
  }
}
