package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitaudit.config.AppConfig;
import org.vitaudit.http.AdminHttpServer;

/** The CPU and GPU Dockerfiles: pinned bases, what they build and copy, and how the image runs. */
class DeployDockerfileTest {

  /** What the image runs by default, as the deployment files and README expect. */
  static final List<String> RUN_COMMAND =
      List.of("run", "--config", "/etc/vit-audit/app.properties");

  static final String JAR = "/app/streams-app.jar";

  static Dockerfiles.Parsed parsed(String name) {
    return Dockerfiles.parse(DeployFiles.path(name));
  }

  /** ENTRYPOINT followed by CMD of the final stage: the process the container starts. */
  static List<String> startCommand(Dockerfiles.Parsed d) {
    List<String> all = new ArrayList<>(Dockerfiles.execForm(d.last().last("ENTRYPOINT")));
    all.addAll(Dockerfiles.execForm(d.last().last("CMD")));
    return all;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void everyBaseImageIsPinned(String name) {
    Dockerfiles.Parsed d = parsed(name);
    Set<String> aliases =
        d.stages().stream()
            .map(Dockerfiles.Stage::alias)
            .filter(a -> a != null)
            .collect(Collectors.toSet());
    assertThat(d.stages())
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            s -> {
              String image = d.expand(s.from());
              if (!aliases.contains(image)) {
                assertThat(image)
                    .as("FROM in %s", name)
                    .matches(DeployFiles::pinned, "a pinned image");
              }
            });
    // COPY --from=IMAGE pulls an image too.
    for (Dockerfiles.Stage s : d.stages()) {
      for (String copy : s.args("COPY")) {
        if (copy.startsWith("--from=")) {
          String from = copy.substring("--from=".length(), copy.indexOf(' '));
          assertThat(aliases.contains(from) || DeployFiles.pinned(from))
              .as("COPY %s", copy)
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void theFinalStageRunsTheApplicationAsANumericNonRootUser(String name) {
    Dockerfiles.Parsed d = parsed(name);
    String user = d.last().last("USER");
    assertThat(user).as("USER of the final stage of %s", name).isNotNull();
    String uid = user.split(":")[0];
    // Numeric, so that Kubernetes can check runAsNonRoot against the image.
    assertThat(uid).matches("[0-9]+");
    assertThat(Integer.parseInt(uid)).isPositive();
    if (user.contains(":")) {
      assertThat(Integer.parseInt(user.split(":")[1])).isPositive();
    }
    List<String> command = startCommand(d);
    assertThat(command.get(0)).isEqualTo("java");
    int jar = command.indexOf("-jar");
    assertThat(command.subList(jar, command.size()))
        .containsExactlyElementsOf(concat(List.of("-jar", JAR), RUN_COMMAND));
    // Other commands replace CMD only: docker run IMAGE scenes ...
    assertThat(Dockerfiles.execForm(d.last().last("CMD"))).containsExactlyElementsOf(RUN_COMMAND);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void theBuildStageBuildsTheJarTheRuntimeStageCopies(String name) {
    Dockerfiles.Parsed d = parsed(name);
    Dockerfiles.Stage build = d.stages().get(0);
    String mvn =
        build.args("RUN").stream()
            .filter(r -> r.contains("mvn "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Maven build in " + name));
    assertThat(mvn).contains("package");
    assertThat(mvn.contains("-Pgpu")).as("-Pgpu in %s", name).isEqualTo(name.endsWith(".gpu"));
    assertThat(d.last().args("COPY"))
        .anySatisfy(
            c -> assertThat(c).startsWith("--from=" + build.alias() + " ").endsWith(" " + JAR));
    // The build uses the Java the project compiles for.
    String release = DeployFiles.pomProperty("maven.compiler.release");
    assertThat(build.from()).contains("temurin-" + release);
  }

  @Test
  void theGpuImageRunsOnCuda12WithCudnn9AndTheCpuImageOnASlimJre() {
    Dockerfiles.Parsed gpu = parsed("Dockerfile.gpu");
    // onnxruntime_gpu links libcudart.so.12 and libcudnn.so.9; NVIDIA's "cudnn" tags of CUDA 12
    // carry cuDNN 9.
    assertThat(gpu.last().from()).startsWith("nvidia/cuda:12.").contains("-cudnn-runtime-");
    Dockerfiles.Parsed cpu = parsed("Dockerfile");
    String release = DeployFiles.pomProperty("maven.compiler.release");
    assertThat(cpu.last().from()).startsWith("eclipse-temurin:" + release + ".").contains("-jre");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void everyFileCopiedFromTheBuildContextExistsAndIsNotIgnored(String name) {
    Dockerfiles.Parsed d = parsed(name);
    List<String> ignore = DeployFiles.text(DeployFiles.path(".dockerignore")).lines().toList();
    List<String> sources = new ArrayList<>();
    for (Dockerfiles.Stage s : d.stages()) {
      for (String copy : s.args("COPY")) {
        if (copy.startsWith("--from=")) {
          continue;
        }
        List<String> words = List.of(d.expand(copy).split("\\s+"));
        sources.addAll(
            words.subList(0, words.size() - 1).stream().filter(w -> !w.startsWith("--")).toList());
      }
    }
    assertThat(sources).isNotEmpty();
    for (String src : sources) {
      String rel = src.replaceAll("/+$", "").replaceFirst("^\\./", "");
      Path p = DeployFiles.path(rel);
      assertThat(p).as("COPY source %s of %s", src, name).exists();
      assertThat(Dockerfiles.inContext(ignore, rel))
          .as("%s left out by .dockerignore", rel)
          .isTrue();
    }
    // Every Maven module is in the build, with its sources, but not its test fixtures or outputs.
    assertThat(sources).contains("pom.xml").containsAll(DeployFiles.pomModules());
    for (String module : DeployFiles.pomModules()) {
      assertThat(Dockerfiles.inContext(ignore, module + "/pom.xml")).as(module).isTrue();
      assertThat(Dockerfiles.inContext(ignore, module + "/src/main/java/X.java"))
          .as(module)
          .isTrue();
      assertThat(Dockerfiles.inContext(ignore, module + "/target/x.jar"))
          .as(module + "/target")
          .isFalse();
    }
    assertThat(
            Dockerfiles.inContext(ignore, "streams-app/src/main/resources/demo-model/model.onnx"))
        .isTrue();
    assertThat(Dockerfiles.inContext(ignore, ".git/config")).isFalse();
  }

  @Test
  void theDockerignoreMatcherFollowsDockersRules() {
    List<String> rules = List.of("*", "!keep/", "**/target/", "keep/secret.txt");
    assertThat(Dockerfiles.inContext(rules, "keep/a/b.java")).isTrue();
    assertThat(Dockerfiles.inContext(rules, "keep/a/target/x.class")).isFalse();
    assertThat(Dockerfiles.inContext(rules, "keep/secret.txt")).isFalse();
    assertThat(Dockerfiles.inContext(rules, "other/file")).isFalse();
    assertThat(Dockerfiles.inContext(List.of("docs"), "docs/a.md")).isFalse();
    assertThat(Dockerfiles.inContext(List.of("docs"), "docsx/a.md")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void theImagesDefaultConfigurationLoadsAndKeepsStateOnAVolume(String name) throws Exception {
    Dockerfiles.Parsed d = parsed(name);
    String copied =
        d.last().args("COPY").stream()
            .filter(c -> c.endsWith(" " + RUN_COMMAND.get(2)))
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " copies no " + RUN_COMMAND.get(2)));
    Path file = DeployFiles.path(copied.split("\\s+")[0]);
    AppConfig c = AppSettings.load(file, Map.of());
    assertThat(AppSettings.unknownKeys(AppSettings.fileKeys(file))).isEmpty();
    String stateDir = String.valueOf(c.kafkaPassThrough().get("state.dir"));
    List<String> volumes = Dockerfiles.execForm(d.last().last("VOLUME"));
    assertThat(volumes).anySatisfy(v -> assertThat(stateDir).startsWith(v + "/"));
    assertThat(String.join(" ", d.last().args("RUN"))).contains("chown").contains(volumes.get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void theHealthCheckAsksReadinessWithTheScriptTheImageCarries(String name) {
    Dockerfiles.Parsed d = parsed(name);
    String check = d.last().last("HEALTHCHECK");
    assertThat(check).isNotNull();
    List<String> cmd = Dockerfiles.execForm(check.substring(check.indexOf("CMD") + 3));
    assertThat(cmd).containsExactly("/app/healthcheck.sh", AdminHttpServer.READY_PATH);
    assertThat(d.last().args("COPY")).contains("deploy/docker/healthcheck.sh /app/healthcheck.sh");
    assertThat(Files.isExecutable(DeployFiles.path("deploy/docker/healthcheck.sh"))).isTrue();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
