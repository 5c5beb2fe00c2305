package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vitaudit.deploy.DeployFiles.at;
import static org.vitaudit.deploy.DeployFiles.list;
import static org.vitaudit.deploy.DeployFiles.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.evaluation.ImageQuality;
import org.vitaudit.http.AdminHttpServer;
import org.vitaudit.metrics.AuditMetrics;

/**
 * The Grafana dashboard of deploy/grafana and its two ways in: well formed, showing every meter of
 * the application, provisioned by Compose's observability profile (pinned images, a Prometheus that
 * scrapes the application containers) and packaged for Kubernetes' Grafana sidecar.
 * DeployGrafanaDashboardIntegrationTest holds its queries against a running application.
 */
class DeployGrafanaTest {

  private static final GrafanaDashboard DASHBOARD = GrafanaDashboard.read();
  private static final String PROFILE = "observability";
  private static final String DASHBOARD_FILE = "deploy/grafana/vit-audit-dashboard.json";

  /** Selectors of every panel query, each with the panel it is in. */
  private static List<Map.Entry<String, GrafanaDashboard.Selector>> selectors() {
    List<Map.Entry<String, GrafanaDashboard.Selector>> out = new ArrayList<>();
    for (GrafanaDashboard.Query q : DASHBOARD.queries()) {
      GrafanaDashboard.selectors(q.expr()).forEach(s -> out.add(Map.entry(q.panel(), s)));
    }
    return out;
  }

  @Test
  void theScannerFindsMetricNamesLabelsAndQuantileArguments() {
    assertThat(
            GrafanaDashboard.selectors(
                "histogram_quantile(0.95, sum by (le, stage) (rate(a_seconds_bucket{stage=\"h\","
                    + " instance=~\"$instance\"}[$__rate_interval]))) / ignoring(x) b_total"))
        .containsExactly(
            new GrafanaDashboard.Selector("a_seconds_bucket", Set.of("stage", "instance"), true),
            new GrafanaDashboard.Selector("b_total", Set.of(), false));
    assertThat(
            GrafanaDashboard.selectors(
                "sum(rate(c_total{reason!~\"a,b}\"}[5m] offset 1h)) by (reason) > bool 0.5e3"))
        .containsExactly(new GrafanaDashboard.Selector("c_total", Set.of("reason"), false));
    assertThat(GrafanaDashboard.selectors("label_values(d_total{x=\"1\"}, instance)"))
        .containsExactly(new GrafanaDashboard.Selector("d_total", Set.of("x"), false));
    assertThatThrownBy(() -> GrafanaDashboard.selectors("{__name__=\"e\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDashboardIsCurrentGrafanaJsonWithAQueryOnEveryPanel() {
    JsonNode root = DASHBOARD.root();
    assertThat(root.path("uid").asText()).isEqualTo("vit-audit");
    assertThat(root.path("title").asText()).isNotBlank();
    // Grafana 11 and 12 write 39 to 41; a provisioned dashboard must carry no database id.
    assertThat(root.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    assertThat(root.path("id").isNull()).isTrue();
    // The data source is a variable, so the same file works with any Prometheus data source.
    assertThat(root.path("templating").path("list"))
        .anySatisfy(
            v -> {
              assertThat(v.path("type").asText()).isEqualTo("datasource");
              assertThat(v.path("name").asText()).isEqualTo("datasource");
              assertThat(v.path("query").asText()).isEqualTo("prometheus");
            });

    Set<Integer> ids = new HashSet<>();
    List<JsonNode> all = new ArrayList<>();
    root.path("panels").forEach(all::add);
    root.path("panels").forEach(p -> p.path("panels").forEach(all::add));
    for (JsonNode p : all) {
      assertThat(ids.add(p.path("id").asInt())).as("panel id %s is unique", p.path("id")).isTrue();
      JsonNode grid = p.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as("%s fits the 24 columns", p.path("title"))
          .isBetween(1, 24);
    }
    for (JsonNode p : DASHBOARD.panels()) {
      String title = p.path("title").asText();
      assertThat(p.path("description").asText()).as("description of %s", title).isNotBlank();
      assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      assertThat(p.path("targets")).as("queries of %s", title).isNotEmpty();
      p.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(title).isNotBlank());
    }
    // kubectl apply keeps the whole ConfigMap in an annotation, limited to 256 KiB.
    assertThat(DeployFiles.text(GrafanaDashboard.FILE).length()).isLessThan(200 * 1024);
  }

  @Test
  void everyPanelFollowsTheInstancePicker() {
    for (Map.Entry<String, GrafanaDashboard.Selector> e : selectors()) {
      if (!e.getKey().startsWith("variable ")) {
        assertThat(e.getValue().labels())
            .as("%s: %s", e.getKey(), e.getValue().name())
            .contains("instance");
      }
    }
    // A multi-value variable expands to a|b: only a regular expression matcher takes it.
    for (GrafanaDashboard.Query q : DASHBOARD.queries()) {
      assertThat(q.expr()).as(q.panel()).doesNotContain("instance=\"$instance\"");
    }
  }

  /** Every meter of the application (its Prometheus family) is on some panel. */
  @Test
  void theDashboardShowsEveryMeterOfTheApplication() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AuditMetrics metrics = new AuditMetrics(registry);
    metrics.recordIn();
    metrics.recordOut();
    metrics.recordDlq("corrupt_image");
    metrics.recordQuality(new ImageQuality(0.9, 0.5, 0.7, 0.2));
    metrics.modelInfo("m", "0", "CPU");
    metrics.modelUp(() -> true);
    Set<String> families = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (vitaudit_\\S+) (\\S+)$").matcher(registry.scrape());
    while (m.find()) {
      // Micrometer's _max gauges only say the largest value since the last step: not charted.
      if (!m.group(1).endsWith("_max")) {
        families.add(m.group(2).equals("histogram") ? m.group(1) + "_bucket" : m.group(1));
      }
    }
    registry.close();
    assertThat(families).hasSize(7);

    Set<String> queried = new TreeSet<>();
    Set<String> quantiles = new TreeSet<>();
    for (Map.Entry<String, GrafanaDashboard.Selector> e : selectors()) {
      queried.add(e.getValue().name());
      if (e.getValue().quantileOf()) {
        quantiles.add(e.getValue().name());
      }
    }
    assertThat(queried).containsAll(families);
    // Percentiles over both histograms; consumer lag from Kafka's own client metrics.
    assertThat(quantiles)
        .containsExactlyInAnyOrder(
            "vitaudit_stage_seconds_bucket", "vitaudit_quality_percent_bucket");
    assertThat(queried).contains("kafka_consumer_fetch_manager_records_lag");
  }

  private static List<String> observabilityServices() {
    List<String> names = new ArrayList<>();
    DeployComposeTest.services()
        .forEach(
            (name, s) -> {
              if (list(map(s, name).get("profiles"), "profiles").contains(PROFILE)) {
                names.add(name);
              }
            });
    return names;
  }

  /** The host file a service mounts at a container path, or null. */
  private static String mountedAt(Map<String, Object> service, String target) {
    return DeployComposeTest.volumes(service).entrySet().stream()
        .filter(e -> e.getValue().equals(target))
        .map(e -> e.getKey().replaceFirst("^\\./", ""))
        .findFirst()
        .orElse(null);
  }

  /** The container port a service publishes (the last part of its one port mapping). */
  private static String containerPort(Map<String, Object> service) {
    List<Object> ports = list(service.get("ports"), "ports");
    assertThat(ports).hasSize(1);
    String p = String.valueOf(ports.get(0));
    return p.substring(p.lastIndexOf(':') + 1);
  }

  @Test
  void theObservabilityProfileRunsPinnedPrometheusAndGrafana() {
    assertThat(observabilityServices()).containsExactlyInAnyOrder("prometheus", "grafana");
    for (String name : observabilityServices()) {
      String image = String.valueOf(DeployComposeTest.service(name).get("image"));
      assertThat(image).as("image of %s", name).matches(DeployFiles::pinned, "a pinned image");
      assertThat(image).as("image of %s", name).matches(".*:v?\\d+\\.\\d+\\.\\d+");
    }
    assertThat(String.valueOf(DeployComposeTest.service("prometheus").get("image")))
        .startsWith("prom/prometheus:");
    assertThat(String.valueOf(DeployComposeTest.service("grafana").get("image")))
        .startsWith("grafana/grafana:");
  }

  @Test
  void prometheusScrapesTheMetricsOfEveryApplicationService() {
    Map<String, Object> prometheus = DeployComposeTest.service("prometheus");
    // The image's default command reads this file.
    assertThat(prometheus).doesNotContainKeys("command", "entrypoint");
    String file = mountedAt(prometheus, "/etc/prometheus/prometheus.yml");
    assertThat(file).isNotNull();
    List<Object> jobs =
        list(DeployFiles.yaml(DeployFiles.path(file)).get("scrape_configs"), "scrape_configs");
    assertThat(jobs).hasSize(1);
    Map<String, Object> job = map(jobs.get(0), "scrape job");
    assertThat(job.get("metrics_path")).isEqualTo(AdminHttpServer.METRICS_PATH);
    List<Object> sd = list(job.get("dns_sd_configs"), "dns_sd_configs");
    assertThat(sd).hasSize(1);
    Map<String, Object> dns = map(sd.get(0), "dns_sd_config");
    assertThat(list(dns.get("names"), "names"))
        .containsExactlyInAnyOrderElementsOf(DeployComposeTest.appServices());
    for (String app : DeployComposeTest.appServices()) {
      assertThat(dns.get("port"))
          .as("the http.port of %s", app)
          .isEqualTo(DeployComposeTest.config(app).getInt(AppConfig.HTTP_PORT_CONFIG));
    }
  }

  @Test
  void grafanaIsProvisionedWithPrometheusAndTheDashboardFile() {
    Map<String, Object> grafana = DeployComposeTest.service("grafana");
    Map<String, String> mounts = DeployComposeTest.volumes(grafana);
    mounts
        .keySet()
        .forEach(src -> assertThat(DeployFiles.path(src.replaceFirst("^\\./", ""))).exists());

    String datasources = mountedFileUnder(grafana, "/etc/grafana/provisioning/datasources/");
    List<Object> sources =
        list(DeployFiles.yaml(DeployFiles.path(datasources)).get("datasources"), "datasources");
    assertThat(sources).hasSize(1);
    Map<String, Object> source = map(sources.get(0), "datasource");
    assertThat(source).containsEntry("type", "prometheus").containsEntry("isDefault", true);
    assertThat(source.get("url"))
        .isEqualTo("http://prometheus:" + containerPort(DeployComposeTest.service("prometheus")));

    String dashboards = mountedFileUnder(grafana, "/etc/grafana/provisioning/dashboards/");
    List<Object> providers =
        list(DeployFiles.yaml(DeployFiles.path(dashboards)).get("providers"), "providers");
    assertThat(providers).hasSize(1);
    Map<String, Object> provider = map(providers.get(0), "provider");
    assertThat(provider.get("type")).isEqualTo("file");
    String folder = String.valueOf(at(provider, "options.path"));
    // The provider's folder holds the dashboard file of this repository.
    String target = folder + "/" + Path.of(DASHBOARD_FILE).getFileName();
    assertThat(mountedAt(grafana, target)).isEqualTo(DASHBOARD_FILE);
    assertThat(DeployFiles.path(DASHBOARD_FILE)).isRegularFile();
    assertThat(DeployComposeTest.environment(grafana))
        .containsEntry("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", target);
  }

  /** The one file a service mounts into a container folder (host path, repository-relative). */
  private static String mountedFileUnder(Map<String, Object> service, String folder) {
    List<String> files =
        DeployComposeTest.volumes(service).entrySet().stream()
            .filter(e -> e.getValue().startsWith(folder))
            .map(e -> e.getKey().replaceFirst("^\\./", ""))
            .toList();
    assertThat(files).as("files mounted under %s", folder).hasSize(1);
    assertThat(DeployFiles.path(files.get(0))).isRegularFile();
    return files.get(0);
  }

  @Test
  void kubernetesGetsTheDashboardAsAConfigMapForTheGrafanaSidecar() {
    Path dir = DeployFiles.path("deploy/grafana");
    List<Map<String, Object>> resources = Kustomize.build(dir);
    assertThat(resources).hasSize(1);
    Map<String, Object> cm = Kustomize.only(resources, "ConfigMap");
    assertThat(map(at(cm, "metadata.labels"), "labels")).containsEntry("grafana_dashboard", "1");
    Map<String, Object> data = map(cm.get("data"), "data");
    assertThat(data).containsOnlyKeys(Path.of(DASHBOARD_FILE).getFileName().toString());
    assertThat(data.values()).containsExactly(DeployFiles.text(GrafanaDashboard.FILE));
    // One fixed name, so an updated dashboard replaces the old ConfigMap rather than joining it.
    Object generator = list(Kustomize.kustomization(dir).get("configMapGenerator"), "gen").get(0);
    assertThat(at(map(generator, "generator"), "options.disableNameSuffixHash")).isEqualTo(true);
  }
}
