package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.app.Demo;
import org.vitaudit.config.AppConfig;
import org.vitaudit.http.AdminHttpServer;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.RunSettings;
import org.vitaudit.testing.TestBroker;

/**
 * Every metric the Grafana dashboard queries is one the application really exposes: the demo (the
 * bundled model, scenes and corrupt events) runs on the test broker, and each series selector of
 * each panel must name a series of its /metrics, with the labels it matches on; a quantile must be
 * taken over the buckets of a histogram.
 */
@KafkaBroker
class DeployGrafanaDashboardIntegrationTest {

  /** Labels Prometheus adds when it scrapes (the target's), not the application. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s.*");
  private static final Pattern LABEL = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");
  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");

  /** The names of the series of one scrape, with the label names each carries. */
  private record Scrape(String text, Map<String, Set<String>> series, Map<String, String> types) {

    static Scrape parse(String text) {
      Map<String, Set<String>> series = new TreeMap<>();
      Map<String, String> types = new HashMap<>();
      for (String line : text.split("\n")) {
        Matcher type = TYPE.matcher(line);
        Matcher sample = SAMPLE.matcher(line);
        if (type.matches()) {
          types.put(type.group(1), type.group(2));
        } else if (!line.startsWith("#") && sample.matches()) {
          Set<String> labels = series.computeIfAbsent(sample.group(1), k -> new TreeSet<>());
          Matcher l = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
          while (l.find()) {
            labels.add(l.group(1));
          }
        }
      }
      return new Scrape(text, series, types);
    }

    /** What is wrong with a selector here, or null. */
    String problem(GrafanaDashboard.Selector s) {
      Set<String> labels = series.get(s.name());
      if (labels == null) {
        return s.name() + " is not exposed";
      }
      Set<String> unknown = new TreeSet<>(s.labels());
      unknown.removeAll(labels);
      unknown.removeAll(TARGET_LABELS);
      if (!unknown.isEmpty()) {
        return s.name() + " has no label " + unknown + " (it has " + labels + ")";
      }
      if (s.quantileOf()) {
        String base = s.name().replaceFirst("_bucket$", "");
        if (base.equals(s.name()) || !"histogram".equals(types.get(base))) {
          return "histogram_quantile over " + s.name() + ", which is no histogram's _bucket series";
        }
      }
      return null;
    }
  }

  @TempDir Path tmp;

  @Test
  void everyMetricTheDashboardQueriesIsExposedByTheRunningApplication(TestBroker broker)
      throws Exception {
    List<GrafanaDashboard.Query> queries = GrafanaDashboard.read().queries();
    assertThat(queries).isNotEmpty();
    Map<String, String> settings =
        RunSettings.of(
            broker.bootstrapServers(),
            tmp.resolve("state"),
            AppConfig.APPLICATION_ID_CONFIG,
            TestBroker.uniqueName("vit-audit-grafana"),
            AppConfig.LABELS_TOPIC_CONFIG,
            TestBroker.uniqueName("labels"),
            // Every event sampled, so the quality histograms exist.
            AppConfig.QUALITY_SAMPLE_RATE_CONFIG,
            "1.0");

    Demo.Listener quiet =
        new Demo.Listener() {
          @Override
          public void note(String line) {}

          @Override
          public void outcomes(int audited, int deadLettered, int total) {}
        };
    try (Demo demo =
        Demo.start(
            false,
            defaults -> {
              Map<String, String> all = new HashMap<>(defaults);
              all.putAll(settings);
              return new AppConfig(all);
            },
            0,
            quiet)) {
      // 20 scenes and one corrupt event: audits, a dead letter, sampled quality.
      Demo.Result result = demo.run(20, 7, Duration.ofSeconds(120), tmp.resolve("out"), quiet);
      assertThat(result.complete()).as("every demo event has an outcome").isTrue();

      // Kafka's per-partition metrics (the consumer lag) are bound at the binder's next look.
      Scrape scrape = Scrape.parse(metrics(demo.httpPort()));
      List<String> problems = problems(queries, scrape);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!problems.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        scrape = Scrape.parse(metrics(demo.httpPort()));
        problems = problems(queries, scrape);
      }
      // For whoever edits the dashboard: what a running application exposes.
      Path saved = DeployFiles.path("streams-app/target/grafana/metrics.txt");
      Files.createDirectories(saved.getParent());
      Files.writeString(saved, scrape.text());
      assertThat(problems).as("dashboard queries against /metrics (saved to %s)", saved).isEmpty();
    }
  }

  private static List<String> problems(List<GrafanaDashboard.Query> queries, Scrape scrape) {
    List<String> out = new ArrayList<>();
    for (GrafanaDashboard.Query q : queries) {
      for (GrafanaDashboard.Selector s : GrafanaDashboard.selectors(q.expr())) {
        String problem = scrape.problem(s);
        if (problem != null) {
          out.add(q.panel() + ": " + problem);
        }
      }
    }
    return out;
  }

  private static String metrics(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + AdminHttpServer.METRICS_PATH))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
