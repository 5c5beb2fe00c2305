package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitaudit.deploy.DeployFiles.at;
import static org.vitaudit.deploy.DeployFiles.list;
import static org.vitaudit.deploy.DeployFiles.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.Secrets;
import org.vitaudit.http.AdminHttpServer;

/**
 * docker-compose.yml, read as data: a pipeline that can work (topics big enough, an application
 * configured with keys it knows, a producer that feeds its input), pinned images and the same
 * hardening as on Kubernetes.
 */
class DeployComposeTest {

  private static final Path COMPOSE = DeployFiles.path("docker-compose.yml");
  private static final Map<String, Object> FILE = DeployFiles.yaml(COMPOSE);
  private static final int MIB = 1024 * 1024;

  static Map<String, Object> services() {
    return map(FILE.get("services"), "services");
  }

  static Map<String, Object> service(String name) {
    return map(services().get(name), "service " + name);
  }

  /** The service's environment as a map (compose accepts a map or a list of NAME=VALUE). */
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = service.get("environment");
    if (e instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    } else {
      for (Object o : list(e, "environment")) {
        String s = String.valueOf(o);
        int eq = s.indexOf('=');
        env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
      }
    }
    return env;
  }

  /** The command a service built from a Dockerfile runs: its own, or the image's CMD. */
  private static List<String> command(Map<String, Object> service) {
    if (service.containsKey("command")) {
      return list(service.get("command"), "command").stream().map(String::valueOf).toList();
    }
    String dockerfile = String.valueOf(at(service, "build.dockerfile"));
    return Dockerfiles.execForm(Dockerfiles.parse(DeployFiles.path(dockerfile)).last().last("CMD"));
  }

  /** source -> target of the service's volumes (short syntax), mode dropped. */
  static Map<String, String> volumes(Map<String, Object> service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Object v : list(service.get("volumes"), "volumes")) {
      String[] parts = String.valueOf(v).split(":");
      out.put(parts[0], parts[1]);
    }
    return out;
  }

  /** The services that run the auditing application (`run`). */
  static List<String> appServices() {
    List<String> apps = new ArrayList<>();
    services()
        .forEach(
            (name, s) -> {
              Map<String, Object> service = map(s, name);
              if (service.containsKey("build") && command(service).get(0).equals("run")) {
                apps.add(name);
              }
            });
    return apps;
  }

  /** The configuration the application of a service runs with. */
  static AppConfig config(String name) {
    Map<String, Object> service = service(name);
    List<String> cmd = command(service);
    String configPath = cmd.get(cmd.indexOf("--config") + 1);
    String source =
        volumes(service).entrySet().stream()
            .filter(e -> e.getValue().equals(configPath))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " mounts no file at " + configPath));
    return AppSettings.load(
        DeployFiles.path(source.replaceFirst("^\\./", "")), environment(service));
  }

  @Test
  void theApplicationRunsOnCpuAndOnGpuUnderTheGpuProfile() {
    assertThat(appServices()).containsExactlyInAnyOrder("app", "app-gpu");
    assertThat(service("app")).doesNotContainKey("profiles");
    assertThat(config("app").getString(AppConfig.DEVICE_CONFIG)).isEqualTo("cpu");

    Map<String, Object> gpu = service("app-gpu");
    assertThat(list(gpu.get("profiles"), "profiles")).containsExactly("gpu");
    assertThat(at(gpu, "build.dockerfile")).isEqualTo("Dockerfile.gpu");
    assertThat(config("app-gpu").getString(AppConfig.DEVICE_CONFIG)).isEqualTo("cuda");
    List<Object> devices = list(at(gpu, "deploy.resources.reservations.devices"), "devices");
    assertThat(devices).hasSize(1);
    Map<String, Object> device = map(devices.get(0), "device");
    assertThat(device).containsEntry("driver", "nvidia").containsEntry("count", 1);
    assertThat(list(device.get("capabilities"), "capabilities")).contains("gpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app", "app-gpu"})
  void theApplicationsSettingsAreKeysItKnowsAndNoSecretIsWrittenDown(String name) {
    Map<String, Object> service = service(name);
    List<String> cmd = command(service);
    Path file =
        DeployFiles.path(
            volumes(service).entrySet().stream()
                .filter(e -> e.getValue().equals(cmd.get(cmd.indexOf("--config") + 1)))
                .findFirst()
                .orElseThrow()
                .getKey()
                .replaceFirst("^\\./", ""));
    List<String> keys = new ArrayList<>(AppSettings.fileKeys(file));
    environment(service).keySet().stream()
        .map(AppSettings::keyOf)
        .filter(k -> k != null)
        .forEach(keys::add);
    assertThat(AppSettings.unknownKeys(keys)).isEmpty();
    assertThat(keys).noneMatch(Secrets::isSecret);
  }

  @Test
  void everyVitauditVariableOfEveryServiceIsAKeyTheApplicationKnows() {
    services()
        .forEach(
            (name, s) ->
                environment(map(s, name))
                    .forEach(
                        (variable, value) -> {
                          String key = AppSettings.keyOf(variable);
                          if (key != null) {
                            assertThat(AppSettings.unknown(key))
                                .as("%s in service %s", variable, name)
                                .isNull();
                            assertThat(AppConfig.problem(key, value))
                                .as("%s=%s in service %s", variable, value, name)
                                .isNull();
                            // A secret may only come from the host's environment: ${VAR}, never a
                            // value in the file.
                            if (Secrets.isSecret(key)) {
                              assertThat(value).as(variable).matches("\\$\\{[A-Z0-9_]+}");
                            }
                          }
                        }));
  }

  @Test
  void everyImageIsPinnedAndKafkaMatchesTheClients() {
    services()
        .forEach(
            (name, s) -> {
              Object image = map(s, name).get("image");
              assertThat(image).as("image of %s", name).isNotNull();
              assertThat(String.valueOf(image))
                  .as("image of %s", name)
                  .matches(DeployFiles::pinned, "a pinned image");
            });
    // The broker speaks the same Kafka as the clients the application is built with.
    assertThat(service("kafka").get("image")).isEqualTo(DeployFiles.pomProperty("kafka.image"));
    assertThat(service("topics").get("image")).isEqualTo(DeployFiles.pomProperty("kafka.image"));
  }

  @Test
  void theTopicsServiceCreatesEveryTopicLargeEnoughForWholeImages() {
    Map<String, Object> topics = service("topics");
    String script =
        String.join(
            "\n", list(topics.get("command"), "command").stream().map(String::valueOf).toList());
    Map<String, Map<String, String>> created = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("(?m)^\\s*create\\s+(\\S+)\\s+(\\d+)((?:\\s+\\S+=\\S+)*)\\s*$")
            .matcher(script);
    while (m.find()) {
      Map<String, String> configs = new LinkedHashMap<>();
      configs.put("partitions", m.group(2));
      for (String c : m.group(3).trim().split("\\s+")) {
        if (!c.isEmpty()) {
          configs.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
        }
      }
      created.put(m.group(1), configs);
    }
    for (String app : appServices()) {
      AppConfig c = config(app);
      assertThat(created)
          .containsKeys(
              c.getString(AppConfig.INPUT_TOPIC_CONFIG),
              c.getString(AppConfig.AUDIT_TOPIC_CONFIG),
              c.getString(AppConfig.DLQ_TOPIC_CONFIG),
              c.getString(AppConfig.LABELS_TOPIC_CONFIG),
              c.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG));
      // A dead letter carries the whole image plus error headers (the app sizes its producer so).
      long needed = c.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG) + (long) MIB;
      for (String topic :
          List.of(
              c.getString(AppConfig.INPUT_TOPIC_CONFIG), c.getString(AppConfig.DLQ_TOPIC_CONFIG))) {
        assertThat(Long.parseLong(created.get(topic).getOrDefault("max.message.bytes", "0")))
            .as("max.message.bytes of %s", topic)
            .isGreaterThanOrEqualTo(needed);
      }
    }
    assertThat(at(topics, "depends_on.kafka.condition")).isEqualTo("service_healthy");
    // Exactly-once on one broker needs a transaction log with one replica.
    assertThat(environment(service("kafka")))
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
  }

  @Test
  void theProducerSendsTheGeneratedScenesToTheApplicationsInputTopic() {
    Map<String, Object> scenes = service("scenes");
    List<String> cmd = command(scenes);
    assertThat(cmd.get(0)).isEqualTo("scenes");
    String out = cmd.get(cmd.indexOf("--out") + 1);
    String volume =
        volumes(scenes).entrySet().stream()
            .filter(e -> e.getValue().equals(out))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("scenes writes to " + out + ", which is not a volume"))
            .getKey();
    assertThat(map(FILE.get("volumes"), "volumes")).containsKey(volume);

    Map<String, Object> producer = service("producer");
    String readFrom = volumes(producer).get(volume);
    assertThat(readFrom).as("the producer mounts the scenes volume").isNotNull();
    String script = String.join("\n", command(producer));
    AppConfig app = config("app");
    assertThat(script)
        .contains(readFrom + "/labels.csv")
        .contains("-t " + app.getString(AppConfig.INPUT_TOPIC_CONFIG))
        .contains("-b " + app.getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG));
    assertThat(at(producer, "depends_on.topics.condition"))
        .isEqualTo("service_completed_successfully");
    assertThat(at(producer, "depends_on.scenes.condition"))
        .isEqualTo("service_completed_successfully");
    // The brokers the application is told about are the compose service and its listener.
    assertThat(app.getString(AppConfig.BOOTSTRAP_SERVERS_CONFIG))
        .isEqualTo(
            "kafka:"
                + environment(service("kafka"))
                    .get("KAFKA_LISTENERS")
                    .replaceAll(".*PLAINTEXT://:(\\d+).*", "$1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"app", "app-gpu"})
  void theApplicationIsHardenedWritesOnlyToVolumesAndReportsReadiness(String name) {
    Map<String, Object> service = service(name);
    assertThat(service.get("read_only")).isEqualTo(true);
    assertThat(list(service.get("cap_drop"), "cap_drop")).contains("ALL");
    assertThat(list(service.get("security_opt"), "security_opt"))
        .contains("no-new-privileges:true");
    // ONNX Runtime and RocksDB map native libraries unpacked into /tmp: the tmpfs must allow exec.
    assertThat(list(service.get("tmpfs"), "tmpfs"))
        .anySatisfy(
            t -> assertThat(List.of(String.valueOf(t).split("[:,]"))).contains("/tmp", "exec"));
    String stateDir = String.valueOf(config(name).kafkaPassThrough().get("state.dir"));
    assertThat(volumes(service).values())
        .anySatisfy(target -> assertThat(stateDir).startsWith(target + "/"));

    List<Object> test = list(at(service, "healthcheck.test"), "healthcheck.test");
    assertThat(test).containsExactly("CMD", "/app/healthcheck.sh", AdminHttpServer.READY_PATH);
    // The script's default port is the application's default http.port.
    assertThat(config(name).getInt(AppConfig.HTTP_PORT_CONFIG)).isEqualTo(8080);
    assertThat(DeployFiles.text(DeployFiles.path("deploy/docker/healthcheck.sh")))
        .contains("VITAUDIT_HTTP_PORT:-8080");
    assertThat(list(service.get("ports"), "ports"))
        .anySatisfy(p -> assertThat(String.valueOf(p)).endsWith(":8080"));
  }

  /**
   * Every service but the broker and its one-shot topic maker (the broker writes its own
   * configuration at start) runs read-only, without capabilities or privilege escalation, and not
   * as root: the application's images set their user (DeployDockerfileTest), the others here.
   */
  @Test
  void everyServiceButTheBrokerIsHardened() {
    Set<String> broker = Set.of("kafka", "topics");
    Set<String> imagesWithOurUser = Set.of("vit-audit:0.1.0", "vit-audit:0.1.0-gpu");
    services().keySet().stream()
        .filter(n -> !broker.contains(n))
        .forEach(
            name -> {
              Map<String, Object> s = service(name);
              assertThat(s.get("read_only")).as("%s read_only", name).isEqualTo(true);
              assertThat(list(s.get("cap_drop"), "cap_drop")).as(name).contains("ALL");
              assertThat(list(s.get("security_opt"), "security_opt"))
                  .as(name)
                  .contains("no-new-privileges:true");
              if (!imagesWithOurUser.contains(String.valueOf(s.get("image")))) {
                assertThat(String.valueOf(s.get("user")))
                    .as("%s runs as a user of its own", name)
                    .matches("[1-9][0-9]*(:[0-9]+)?");
              }
            });
    broker.forEach(
        name ->
            assertThat(list(service(name).get("cap_drop"), "cap_drop")).as(name).contains("ALL"));
  }

  /** What keeps running has a memory limit, so one service cannot starve the others. */
  @Test
  void everyLongRunningServiceHasAMemoryLimit() {
    services().entrySet().stream()
        .filter(e -> "unless-stopped".equals(map(e.getValue(), e.getKey()).get("restart")))
        .filter(e -> !e.getKey().equals("kafka"))
        .forEach(
            e ->
                assertThat(at(map(e.getValue(), e.getKey()), "deploy.resources.limits.memory"))
                    .as("%s memory limit", e.getKey())
                    .isNotNull());
  }

  @Test
  void everyBindMountExistsAndEveryDollarIsEscapedOrAVariable() {
    services()
        .forEach(
            (name, s) ->
                volumes(map(s, name)).keySet().stream()
                    .filter(src -> src.startsWith("."))
                    .forEach(
                        src ->
                            assertThat(DeployFiles.path(src.replaceFirst("^\\./", "")))
                                .as("%s in %s", src, name)
                                .exists()));
    // Compose substitutes $NAME from the host; the scripts' own variables must be written $$NAME.
    String text = DeployFiles.text(COMPOSE).replace("$$", "");
    assertThat(Pattern.compile("\\$(?!\\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?})").matcher(text).find())
        .as("an unescaped $ in docker-compose.yml")
        .isFalse();
  }
}
