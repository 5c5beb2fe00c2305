package org.vitaudit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dashboard.Dashboard;
import org.vitaudit.dashboard.DashboardSettings;
import org.vitaudit.dashboard.StartAt;
import org.vitaudit.replay.Selection;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dashboard}: a live web page over the audit, mispredictions and dead-letter topics. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves a live audit dashboard (page, JSON API under /api/, Server-Sent Events) over the"
          + " audit, mispredictions and dead-letter topics (audit.topic, mispredictions.topic,"
          + " dlq.topic). Read-only: no consumer group, read_committed, never writes a topic."
          + " Thumbnails fetch the input image by its stored offset on input.topic. Runs until"
          + " Ctrl-C. See docs/dashboard.md."
    })
final class DashboardCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8090",
      description = "HTTP port (default: 8090).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: 0.0.0.0, for containers and port-forwards).")
  String host;

  @ArgGroup(exclusive = true)
  Start start;

  /** Where reading starts: now (neither flag), the beginning, or a time. */
  static final class Start {
    @Option(
        names = "--from-beginning",
        description = "Start with the oldest stored records instead of new ones.")
    boolean fromBeginning;

    @Option(
        names = "--from",
        paramLabel = "TIME",
        description =
            "Start each partition at its first record at or after TIME: an ISO-8601 instant"
                + " (2026-11-25T10:00:00Z) or a date (2026-11-25, midnight UTC).")
    String from;

    StartAt startAt() {
      if (from != null) {
        return new StartAt.Time(Selection.parseTime("--from", from));
      }
      return fromBeginning ? new StartAt.Beginning() : new StartAt.End();
    }
  }

  @Option(
      names = "--feed-size",
      paramLabel = "N",
      defaultValue = "500",
      description = "Events kept for the live feed (default: 500).")
  int feedSize;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535 || feedSize < 1) {
      throw new IllegalArgumentException("--port must be 0 to 65535 and --feed-size at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    StartAt from = start == null ? new StartAt.End() : start.startAt();
    AppConfig c = config.load();
    try (Dashboard d =
        Dashboard.start(c, DashboardSettings.DEFAULTS.withFeedSize(feedSize), from, host, port)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      d.close();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      out.println("dashboard: http://localhost:" + d.port() + "/");
      out.flush();
      d.awaitClose();
    }
    return 0;
  }
}
