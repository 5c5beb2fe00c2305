package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.vitaudit.deploy.DeployFiles.at;
import static org.vitaudit.deploy.DeployFiles.list;
import static org.vitaudit.deploy.DeployFiles.map;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.Secrets;
import org.vitaudit.http.AdminHttpServer;

/**
 * The kustomize tree in deploy/: every file parses, every reference resolves, and each overlay,
 * rendered at YAML level, runs the application as configured, probed, scaled and secured as
 * intended.
 */
class DeployKubernetesTest {

  private static final Path BASE = DeployFiles.path("deploy/base");

  /**
   * The application's workload kind: state stores on persistent volumes (statefulset.yaml says
   * why).
   */
  private static final String WORKLOAD = "StatefulSet";

  private static final Path OVERLAYS = DeployFiles.path("deploy/overlays");

  /** KEDA's names for the SASL mechanisms (its kafka scaler's sasl parameter). */
  private static final Map<String, String> KEDA_SASL =
      Map.of(
          "PLAIN",
          "plaintext",
          "SCRAM-SHA-256",
          "scram_sha256",
          "SCRAM-SHA-512",
          "scram_sha512",
          "OAUTHBEARER",
          "oauthbearer",
          "GSSAPI",
          "gssapi");

  @TempDir Path tmp;

  /** One rendered overlay and what the application makes of its configuration. */
  private record Rendered(
      List<Map<String, Object>> resources,
      AppConfig config,
      Map<String, String> env,
      Properties file) {

    Map<String, Object> workload() {
      return Kustomize.only(resources, WORKLOAD);
    }

    Map<String, Object> podSpec() {
      return map(at(workload(), "spec.template.spec"), "pod spec");
    }

    Map<String, Object> container() {
      List<Map<String, Object>> cs = Kustomize.containers(workload());
      assertThat(cs).as("containers of the " + WORKLOAD).hasSize(1);
      return cs.get(0);
    }

    Map<String, Object> resource(String kind) {
      return Kustomize.only(resources, kind);
    }
  }

  private Rendered render(String overlay) throws IOException {
    List<Map<String, Object>> resources = Kustomize.build(OVERLAYS.resolve(overlay));
    Map<String, Object> workload = Kustomize.only(resources, WORKLOAD);
    Map<String, Object> container = Kustomize.containers(workload).get(0);

    // The file the container reads: --config PATH, found through its mount in a ConfigMap volume.
    List<Object> args = list(container.get("args"), "args");
    int i = args.indexOf("--config");
    assertThat(i).as("the container runs with --config FILE: %s", args).isGreaterThanOrEqualTo(0);
    Path configPath = Path.of(String.valueOf(args.get(i + 1)));
    Map<String, Object> mount = mountOf(container, configPath.getParent().toString());
    Map<String, Object> volume = volume(workload, String.valueOf(mount.get("name")));
    String configMapName = String.valueOf(at(volume, "configMap.name"));
    Map<String, Object> configMap =
        resources.stream()
            .filter(
                r ->
                    "ConfigMap".equals(r.get("kind"))
                        && configMapName.equals(at(r, "metadata.name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ConfigMap " + configMapName));
    Object content = map(configMap.get("data"), "data").get(configPath.getFileName().toString());
    assertThat(content)
        .as("ConfigMap %s holds %s", configMapName, configPath.getFileName())
        .isNotNull();

    Path file = tmp.resolve(overlay + ".properties");
    Files.writeString(file, String.valueOf(content));
    Map<String, String> env = environment(container);
    Properties props = new Properties();
    props.load(new StringReader(String.valueOf(content)));
    return new Rendered(resources, AppSettings.load(file, env), env, props);
  }

  /** The container's environment, values from Secrets replaced by a stand-in. */
  private static Map<String, String> environment(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object o : list(container.get("env"), "env")) {
      Map<String, Object> e = map(o, "env entry");
      env.put(
          String.valueOf(e.get("name")),
          e.containsKey("value")
              ? String.valueOf(e.get("value"))
              : "value-from-" + e.get("valueFrom"));
    }
    return env;
  }

  private static Map<String, Object> mountOf(Map<String, Object> container, String mountPath) {
    return list(container.get("volumeMounts"), "volumeMounts").stream()
        .map(m -> map(m, "volumeMount"))
        .filter(m -> mountPath.equals(m.get("mountPath")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
  }

  private static Map<String, Object> volume(Map<String, Object> workload, String name) {
    return list(at(workload, "spec.template.spec.volumes"), "volumes").stream()
        .map(v -> map(v, "volume"))
        .filter(v -> name.equals(v.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  /** The StatefulSet's volume claim template of that name, or null. */
  private static Map<String, Object> claimTemplate(Map<String, Object> workload, String name) {
    return list(at(workload, "spec.volumeClaimTemplates"), "volumeClaimTemplates").stream()
        .map(v -> map(v, "volumeClaimTemplate"))
        .filter(v -> name.equals(at(v, "metadata.name")))
        .findFirst()
        .orElse(null);
  }

  /** The container port a probe or Service port names (a number or a port name). */
  private static int containerPort(Map<String, Object> container, Object port) {
    if (port instanceof Integer n) {
      return n;
    }
    return list(container.get("ports"), "ports").stream()
        .map(p -> map(p, "port"))
        .filter(p -> String.valueOf(port).equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port));
  }

  @Test
  void everyManifestParsesAsKubernetesObjectsOrKustomizations() {
    List<Path> files = DeployFiles.manifestFiles();
    assertThat(files)
        .extracting(f -> DeployFiles.ROOT.relativize(f).toString().replace('\\', '/'))
        .contains(
            "deploy/base/kustomization.yaml",
            "deploy/overlays/cpu/kustomization.yaml",
            "deploy/overlays/gpu/kustomization.yaml");
    for (Path f : files) {
      List<Map<String, Object>> docs = DeployFiles.yamlDocuments(f);
      assertThat(docs)
          .as(f.toString())
          .isNotEmpty()
          .allSatisfy(
              d -> {
                assertThat(d.get("apiVersion")).as("%s apiVersion", f).isNotNull();
                assertThat(d.get("kind")).as("%s kind", f).isNotNull();
              });
    }
  }

  @Test
  void theBaseAndEachOverlayRenderWithEveryReferencedFilePresent() {
    assertThatCode(() -> Kustomize.build(BASE)).doesNotThrowAnyException();
    try (var dirs = Files.list(OVERLAYS)) {
      List<Path> overlays = dirs.filter(Files::isDirectory).sorted().toList();
      assertThat(overlays)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("cpu", "gpu");
      for (Path o : overlays) {
        assertThat(Kustomize.build(o))
            .extracting(r -> (String) r.get("kind"))
            .contains(
                WORKLOAD,
                "ConfigMap",
                "Service",
                "ServiceAccount",
                "PodDisruptionBudget",
                "ScaledObject",
                "TriggerAuthentication",
                "ServiceMonitor");
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theRendererAppliesPatchesAsKustomizeWould() {
    // A check of the stand-in itself: containers and env merge by name, other lists are replaced.
    Map<String, Object> base =
        Map.of(
            "spec",
            Map.of(
                "containers",
                List.of(
                    Map.of(
                        "name",
                        "a",
                        "image",
                        "x",
                        "env",
                        List.of(Map.of("name", "K", "value", "1"))),
                    Map.of("name", "b", "image", "y")),
                "tolerations",
                List.of(Map.of("key", "t1"))));
    Map<String, Object> patch =
        Map.of(
            "spec",
            Map.of(
                "containers",
                List.of(Map.of("name", "a", "env", List.of(Map.of("name", "L", "value", "2")))),
                "tolerations",
                List.of(Map.of("key", "t2"))));
    Object merged = Kustomize.merge(base, patch, "", true);
    assertThat(at(map(merged, "merged"), "spec.containers"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "a",
                    "image",
                    "x",
                    "env",
                    List.of(Map.of("name", "K", "value", "1"), Map.of("name", "L", "value", "2"))),
                Map.of("name", "b", "image", "y")));
    assertThat(at(map(merged, "merged"), "spec.tolerations"))
        .isEqualTo(List.of(Map.of("key", "t2")));
    // JSON merge (custom resources): lists are replaced whole.
    assertThat(at(map(Kustomize.merge(base, patch, "", false), "merged"), "spec.containers"))
        .isEqualTo(List.of(Map.of("name", "a", "env", List.of(Map.of("name", "L", "value", "2")))));
  }

  @Test
  void everyPatchTargetsAResourceOfTheBase() {
    List<String> base = Kustomize.build(BASE).stream().map(Kustomize::kindAndName).toList();
    for (String overlay : List.of("cpu", "gpu")) {
      assertThat(Kustomize.patches(OVERLAYS.resolve(overlay)))
          .allSatisfy(
              p ->
                  assertThat(base)
                      .as(p.file().toString())
                      .contains(Kustomize.kindAndName(p.doc())));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theConfigurationLoadsAndSetsOnlyKeysTheApplicationOrKafkaKnows(String overlay)
      throws IOException {
    Rendered r = render(overlay);
    List<String> keys = new ArrayList<>(r.file().stringPropertyNames());
    r.env().keySet().stream().map(AppSettings::keyOf).filter(k -> k != null).forEach(keys::add);
    assertThat(AppSettings.unknownKeys(keys)).isEmpty();
    assertThat(r.config().getString(AppConfig.DEVICE_CONFIG))
        .isEqualTo(overlay.equals("gpu") ? "cuda" : "cpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void secretsComeFromASecretAndNeverFromAFile(String overlay) throws IOException {
    Rendered r = render(overlay);
    assertThat(r.file().stringPropertyNames()).noneMatch(Secrets::isSecret);
    for (Object o : list(r.container().get("env"), "env")) {
      Map<String, Object> e = map(o, "env entry");
      String key = AppSettings.keyOf(String.valueOf(e.get("name")));
      if (key != null && Secrets.isSecret(key)) {
        assertThat(e).as("%s must come from a Secret", e.get("name")).doesNotContainKey("value");
        assertThat(at(e, "valueFrom.secretKeyRef.name"))
            .as("%s secretKeyRef", e.get("name"))
            .isNotNull();
      }
    }
    // SASL_SSL by default, with the JAAS line the application reads from the environment.
    assertThat(r.config().kafkaPassThrough())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsKey("sasl.mechanism")
        .containsKey("sasl.jaas.config");
    // No manifest carries a Secret's data: secrets are created outside the repository.
    for (Path f : DeployFiles.manifestFiles()) {
      assertThat(DeployFiles.yamlDocuments(f))
          .as(f.toString())
          .noneMatch(
              d ->
                  "Secret".equals(d.get("kind"))
                      && (d.containsKey("data") || d.containsKey("stringData")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void imagesArePinnedAndTheContainerRunsNonRootOnAReadOnlyRoot(String overlay) throws IOException {
    Rendered r = render(overlay);
    assertThat(String.valueOf(r.container().get("image")))
        .matches(DeployFiles::pinned, "a pinned image");
    Map<String, Object> pod = r.podSpec();
    assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat((Integer) at(pod, "securityContext.runAsUser")).isPositive();
    assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(pod.get("enableServiceLinks"))
        .as("no injected *_PORT/*_SERVICE_HOST variables")
        .isEqualTo(false);
    Map<String, Object> sc = map(r.container().get("securityContext"), "container securityContext");
    assertThat(sc.get("readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(sc.get("allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(list(at(sc, "capabilities.drop"), "drop")).contains("ALL");
  }

  /**
   * Requests let the scheduler place a replica where it fits; a memory limit equal to the request
   * keeps one replica from starving its neighbours, and the JVM sizes its heap from it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theContainerRequestsCpuAndMemoryAndIsLimitedToItsMemory(String overlay) throws IOException {
    Rendered r = render(overlay);
    assertThat(at(r.container(), "resources.requests.cpu")).isNotNull();
    Object requested = at(r.container(), "resources.requests.memory");
    assertThat(requested).isNotNull();
    assertThat(at(r.container(), "resources.limits.memory")).isEqualTo(requested);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void stateLiesOnAPersistentVolumePerReplicaAndTmpOnAnEmptyDir(String overlay) throws IOException {
    Rendered r = render(overlay);
    String stateDir = String.valueOf(r.config().kafkaPassThrough().get("state.dir"));
    Map<String, Object> stateMount = mountUnder(r.container(), stateDir);
    assertThat(stateMount.get("readOnly")).isNotEqualTo(true);
    Map<String, Object> claim = claimTemplate(r.workload(), String.valueOf(stateMount.get("name")));
    assertThat(claim).as("%s on a volume claim template", stateDir).isNotNull();
    assertThat(list(at(claim, "spec.accessModes"), "accessModes")).containsExactly("ReadWriteOnce");
    assertThat(at(claim, "spec.resources.requests.storage")).isNotNull();
    // A scale-down hands the replica's tasks to the others: its volume goes with it.
    assertThat(at(r.workload(), "spec.persistentVolumeClaimRetentionPolicy.whenScaled"))
        .isEqualTo("Delete");

    Map<String, Object> tmpMount = mountUnder(r.container(), "/tmp");
    assertThat(tmpMount.get("readOnly")).isNotEqualTo(true);
    assertThat(volume(r.workload(), String.valueOf(tmpMount.get("name")))).containsKey("emptyDir");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void replicasStartInParallelUnderAHeadlessServiceAndKedaOwnsTheirCount(String overlay)
      throws IOException {
    Rendered r = render(overlay);
    assertThat(at(r.workload(), "spec.podManagementPolicy")).isEqualTo("Parallel");
    assertThat(at(r.workload(), "spec.replicas")).as("KEDA owns the replica count").isNull();
    Map<String, Object> service = r.resource("Service");
    assertThat(at(r.workload(), "spec.serviceName")).isEqualTo(at(service, "metadata.name"));
    assertThat(at(service, "spec.clusterIP")).isEqualTo("None");
  }

  /** The mount that holds a path of the container. */
  private static Map<String, Object> mountUnder(Map<String, Object> container, String path) {
    return list(container.get("volumeMounts"), "volumeMounts").stream()
        .map(m -> map(m, "volumeMount"))
        .filter(m -> path.equals(m.get("mountPath")) || path.startsWith(m.get("mountPath") + "/"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(path + " is on the read-only root filesystem"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void probesAskTheHealthEndpointsOnTheHttpPort(String overlay) throws IOException {
    Rendered r = render(overlay);
    int httpPort = r.config().getInt(AppConfig.HTTP_PORT_CONFIG);
    Map<String, String> expected =
        Map.of(
            "startupProbe",
            AdminHttpServer.LIVE_PATH,
            "livenessProbe",
            AdminHttpServer.LIVE_PATH,
            "readinessProbe",
            AdminHttpServer.READY_PATH);
    expected.forEach(
        (probe, path) -> {
          Map<String, Object> get = map(at(r.container(), probe + ".httpGet"), probe + ".httpGet");
          assertThat(get.get("path")).as(probe).isEqualTo(path);
          assertThat(containerPort(r.container(), get.get("port")))
              .as(probe + " port")
              .isEqualTo(httpPort);
        });
    // A stop finishes the records in flight before Kubernetes kills the container.
    long grace = ((Integer) r.podSpec().get("terminationGracePeriodSeconds")) * 1000L;
    assertThat(r.config().getLong(AppConfig.SHUTDOWN_TIMEOUT_MS_CONFIG)).isLessThan(grace);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void theServiceMonitorScrapesMetricsThroughTheServiceFromThePods(String overlay)
      throws IOException {
    Rendered r = render(overlay);
    Map<String, Object> podLabels =
        map(at(r.workload(), "spec.template.metadata.labels"), "pod labels");
    Map<String, Object> service = r.resource("Service");
    Map<String, Object> monitor = r.resource("ServiceMonitor");
    assertThat(podLabels)
        .containsAllEntriesOf(map(at(service, "spec.selector"), "Service selector"));
    assertThat(map(at(service, "metadata.labels"), "Service labels"))
        .containsAllEntriesOf(
            map(at(monitor, "spec.selector.matchLabels"), "ServiceMonitor selector"));
    assertThat(podLabels)
        .containsAllEntriesOf(map(at(r.workload(), "spec.selector.matchLabels"), "selector"));
    assertThat(podLabels)
        .containsAllEntriesOf(
            map(
                at(r.resource("PodDisruptionBudget"), "spec.selector.matchLabels"),
                "PDB selector"));

    Map<String, Object> endpoint =
        map(list(at(monitor, "spec.endpoints"), "endpoints").get(0), "endpoint");
    assertThat(endpoint.get("path")).isEqualTo(AdminHttpServer.METRICS_PATH);
    Map<String, Object> servicePort =
        list(at(service, "spec.ports"), "ports").stream()
            .map(p -> map(p, "port"))
            .filter(p -> endpoint.get("port").equals(p.get("name")))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the Service has no port " + endpoint.get("port")));
    assertThat(containerPort(r.container(), servicePort.get("targetPort")))
        .isEqualTo(r.config().getInt(AppConfig.HTTP_PORT_CONFIG));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void kedaScalesTheWorkloadOnTheLagOfTheApplicationsConsumerGroup(String overlay)
      throws IOException {
    Rendered r = render(overlay);
    Map<String, Object> scaled = r.resource("ScaledObject");
    assertThat(at(scaled, "spec.scaleTargetRef.name")).isEqualTo(at(r.workload(), "metadata.name"));
    assertThat(at(scaled, "spec.scaleTargetRef.kind")).isEqualTo(WORKLOAD);
    int min = (Integer) at(scaled, "spec.minReplicaCount");
    int max = (Integer) at(scaled, "spec.maxReplicaCount");
    assertThat(min).isPositive();
    assertThat(max).isGreaterThanOrEqualTo(min);

    List<Object> triggers = list(at(scaled, "spec.triggers"), "triggers");
    assertThat(triggers).hasSize(1);
    Map<String, Object> trigger = map(triggers.get(0), "trigger");
    assertThat(trigger.get("type")).isEqualTo("kafka");
    Map<String, Object> meta = map(trigger.get("metadata"), "trigger metadata");
    // Kafka Streams' consumer group is the application id.
    assertThat(meta.get("consumerGroup"))
        .isEqualTo(r.config().getString(AppConfig.APPLICATION_ID_CONFIG));
    assertThat(meta.get("topic")).isEqualTo(r.config().getString(AppConfig.INPUT_TOPIC_CONFIG));
    assertThat(meta.get("bootstrapServers"))
        .isEqualTo(r.config().getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG));
    // Never more replicas than partitions: idle consumers would hold no task.
    assertThat(String.valueOf(meta.getOrDefault("allowIdleConsumers", "false"))).isEqualTo("false");

    // KEDA connects as the application does.
    Map<String, Object> kafka = r.config().kafkaPassThrough();
    String protocol = String.valueOf(kafka.getOrDefault("security.protocol", "PLAINTEXT"));
    assertThat(String.valueOf(meta.getOrDefault("tls", "disable")))
        .isEqualTo(protocol.endsWith("SSL") ? "enable" : "disable");
    String mechanism = String.valueOf(kafka.getOrDefault("sasl.mechanism", "GSSAPI"));
    if (protocol.startsWith("SASL")) {
      assertThat(meta.get("sasl")).isEqualTo(KEDA_SASL.get(mechanism));
    }
    Map<String, Object> auth = r.resource("TriggerAuthentication");
    assertThat(at(trigger, "authenticationRef.name")).isEqualTo(at(auth, "metadata.name"));
    assertThat(list(at(auth, "spec.secretTargetRef"), "secretTargetRef"))
        .extracting(o -> map(o, "ref").get("parameter"))
        .contains("username", "password");
  }

  @Test
  void theGpuOverlayAsksOneGpuPerReplicaAndRunsOnCuda() throws IOException {
    Rendered gpu = render("gpu");
    Map<String, Object> limits = map(at(gpu.container(), "resources.limits"), "limits");
    assertThat(String.valueOf(limits.get("nvidia.com/gpu"))).isEqualTo("1");
    assertThat(gpu.config().getString(AppConfig.DEVICE_CONFIG)).isEqualTo("cuda");
    assertThat(String.valueOf(gpu.container().get("image"))).endsWith("-gpu");
    assertThat(list(gpu.podSpec().get("tolerations"), "tolerations"))
        .extracting(t -> map(t, "toleration").get("key"))
        .contains("nvidia.com/gpu");
    int gpuMax = (Integer) at(gpu.resource("ScaledObject"), "spec.maxReplicaCount");
    int cpuMax = (Integer) at(render("cpu").resource("ScaledObject"), "spec.maxReplicaCount");
    assertThat(gpuMax).isLessThanOrEqualTo(cpuMax);

    Rendered cpu = render("cpu");
    assertThat(String.valueOf(cpu.container().get("resources"))).doesNotContain("nvidia.com/gpu");
    assertThat(cpu.config().getString(AppConfig.DEVICE_CONFIG)).isEqualTo("cpu");
    assertThat(String.valueOf(cpu.container().get("image"))).doesNotEndWith("-gpu");
  }
}
