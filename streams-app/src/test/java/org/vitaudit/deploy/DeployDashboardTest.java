package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitaudit.deploy.DeployFiles.at;
import static org.vitaudit.deploy.DeployFiles.list;
import static org.vitaudit.deploy.DeployFiles.map;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's optional kustomize component (deploy/components/dashboard) added to each overlay,
 * and the dashboard service of docker-compose.yml: the application's image and configuration, its
 * own pods and port, hardened like the application.
 */
class DeployDashboardTest {
  private static final Path OVERLAYS = DeployFiles.path("deploy/overlays");
  private static final String COMPONENT = "../../components/dashboard";

  /** The overlay with the component added to its kustomization, as its README comment says. */
  private static List<Map<String, Object>> withDashboard(String overlay) {
    Path dir = OVERLAYS.resolve(overlay);
    Map<String, Object> k = new LinkedHashMap<>(Kustomize.kustomization(dir));
    k.put("components", List.of(COMPONENT));
    return Kustomize.build(dir, k);
  }

  private static Map<String, Object> named(List<Map<String, Object>> rs, String kind, String name) {
    return rs.stream()
        .filter(r -> kind.equals(r.get("kind")) && name.equals(at(r, "metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    List<Map<String, Object>> cs = Kustomize.containers(workload);
    assertThat(cs).hasSize(1);
    return cs.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theDashboardRunsTheApplicationsImageOnItsConfigurationInPodsOfItsOwn(String overlay) {
    List<Map<String, Object>> rs = withDashboard(overlay);
    Map<String, Object> app = Kustomize.only(rs, "StatefulSet");
    Map<String, Object> dashboard = named(rs, "Deployment", "vit-audit-dashboard");
    Map<String, Object> c = container(dashboard);
    assertThat(c.get("image")).isEqualTo(container(app).get("image"));
    assertThat(String.valueOf(c.get("image"))).matches(DeployFiles::pinned, "a pinned image");
    List<Object> args = list(c.get("args"), "args");
    assertThat(args.get(0)).isEqualTo("dashboard");
    // The same properties file from the same ConfigMap: the topics the application writes.
    String config = String.valueOf(args.get(args.indexOf("--config") + 1));
    assertThat(config).isEqualTo(list(container(app).get("args"), "args").get(2));
    assertThat(configMapAt(dashboard, c, "/etc/vit-audit"))
        .isEqualTo(configMapAt(app, container(app), "/etc/vit-audit"));
    assertThat(at(dashboard, "spec.replicas")).isEqualTo(1);

    // Its own pods: neither the application's Service, PDB nor selector takes them, and its
    // Service takes no application pod.
    Map<String, Object> podLabels = map(at(dashboard, "spec.template.metadata.labels"), "labels");
    Map<String, Object> appLabels = map(at(app, "spec.template.metadata.labels"), "app labels");
    Map<String, Object> service = named(rs, "Service", "vit-audit-dashboard");
    Map<String, Object> selector = map(at(service, "spec.selector"), "selector");
    assertThat(podLabels).containsAllEntriesOf(selector);
    assertThat(appLabels.entrySet().containsAll(selector.entrySet()))
        .as("the dashboard's Service selects the application's pods")
        .isFalse();
    for (Map<String, Object> r : rs) {
      Object other =
          r == service
              ? null
              : at(
                  r,
                  "Service".equals(r.get("kind")) ? "spec.selector" : "spec.selector.matchLabels");
      if (other instanceof Map<?, ?> m && r != dashboard) {
        assertThat(podLabels.entrySet().containsAll(m.entrySet()))
            .as("%s selects the dashboard's pods", Kustomize.kindAndName(r))
            .isFalse();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theServiceAndTheProbesReachThePortTheDashboardListensOn(String overlay) {
    List<Map<String, Object>> rs = withDashboard(overlay);
    Map<String, Object> c = container(named(rs, "Deployment", "vit-audit-dashboard"));
    List<Object> args = list(c.get("args"), "args");
    int port = Integer.parseInt(String.valueOf(args.get(args.indexOf("--port") + 1)));
    Map<String, Object> http = map(list(c.get("ports"), "ports").get(0), "port");
    assertThat(http.get("containerPort")).isEqualTo(port);
    Map<String, Object> servicePort =
        map(
            list(at(named(rs, "Service", "vit-audit-dashboard"), "spec.ports"), "ports").get(0),
            "p");
    assertThat(servicePort.get("targetPort")).isEqualTo(http.get("name"));
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(at(c, probe + ".httpGet.path")).as(probe).isEqualTo("/api/summary");
      assertThat(at(c, probe + ".httpGet.port")).as(probe).isEqualTo(http.get("name"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theDashboardIsHardenedAndTakesItsKafkaSecretFromTheSecret(String overlay) {
    Map<String, Object> dashboard =
        named(withDashboard(overlay), "Deployment", "vit-audit-dashboard");
    Map<String, Object> pod = map(at(dashboard, "spec.template.spec"), "pod");
    assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(pod.get("enableServiceLinks")).isEqualTo(false);
    Map<String, Object> c = container(dashboard);
    assertThat(at(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(list(at(c, "securityContext.capabilities.drop"), "drop")).contains("ALL");
    assertThat(list(c.get("env"), "env"))
        .allSatisfy(e -> assertThat(at(map(e, "env"), "valueFrom.secretKeyRef.name")).isNotNull());
    assertThat(at(c, "resources.limits.memory")).isNotNull();
  }

  @Test
  void composeRunsTheDashboardAfterTheApplicationOnItsPropertiesAndPort8090() {
    Map<String, Object> services =
        map(DeployFiles.yaml(DeployFiles.path("docker-compose.yml")).get("services"), "services");
    Map<String, Object> app = map(services.get("app"), "app");
    Map<String, Object> dashboard = map(services.get("dashboard"), "dashboard");
    assertThat(dashboard.get("image")).isEqualTo(app.get("image"));
    assertThat(dashboard).doesNotContainKey("profiles");
    List<Object> cmd = list(dashboard.get("command"), "command");
    assertThat(cmd.get(0)).isEqualTo("dashboard");
    String config = String.valueOf(cmd.get(cmd.indexOf("--config") + 1));
    String mount = "./deploy/compose/app.properties:" + config + ":ro";
    assertThat(list(app.get("volumes"), "app volumes")).contains(mount);
    assertThat(list(dashboard.get("volumes"), "volumes")).containsExactly(mount);
    String port = String.valueOf(cmd.get(cmd.indexOf("--port") + 1));
    assertThat(list(dashboard.get("ports"), "ports")).containsExactly("127.0.0.1:8090:" + port);
    assertThat(at(dashboard, "depends_on.app")).isNotNull();
    assertThat(list(at(dashboard, "healthcheck.test"), "healthcheck"))
        .containsExactly("CMD", "/app/healthcheck.sh", "/api/summary", port);
    assertThat(dashboard.get("read_only")).isEqualTo(true);
    assertThat(list(dashboard.get("cap_drop"), "cap_drop")).contains("ALL");
    assertThat(list(dashboard.get("security_opt"), "security_opt"))
        .contains("no-new-privileges:true");
  }

  /** The ConfigMap mounted at {@code mountPath} in a workload's container. */
  private static Object configMapAt(
      Map<String, Object> workload, Map<String, Object> container, String mountPath) {
    String volume =
        list(container.get("volumeMounts"), "volumeMounts").stream()
            .map(m -> map(m, "mount"))
            .filter(m -> mountPath.equals(m.get("mountPath")))
            .map(m -> String.valueOf(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
    return list(at(workload, "spec.template.spec.volumes"), "volumes").stream()
        .map(v -> map(v, "volume"))
        .filter(v -> volume.equals(v.get("name")))
        .map(v -> at(v, "configMap.name"))
        .findFirst()
        .orElseThrow();
  }
}
