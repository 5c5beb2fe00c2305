package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vitaudit.cli.Main;

/**
 * Secrets set the way the deployments set them, through VITAUDIT_* environment variables of a real
 * process, never show in what the {@code config} command prints, on stdout or stderr (the
 * application's own log included). The key-by-key masking itself is {@code SecretsTest}'s.
 */
class DeploySecretsTest {

  static final String PASSWORD = "Pa55-w0rd-from-the-secret";
  static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vit-audit\""
          + " password=\""
          + PASSWORD
          + "\";";

  /** The secrets a Kubernetes Secret could hand the pod, and a value each. */
  static final Map<String, String> SECRET_ENV =
      Map.of(
          "VITAUDIT_KAFKA_SASL_JAAS_CONFIG", JAAS,
          "VITAUDIT_KAFKA_SSL_KEY_PASSWORD", "key-pw-from-the-secret",
          "VITAUDIT_KAFKA_SSL_TRUSTSTORE_PASSWORD", "truststore-pw-from-the-secret");

  record Result(int exitCode, String out, String err) {}

  /**
   * Runs the command line in a fresh JVM with these extra environment variables, logging as the jar
   * does (its logback.xml, not the tests') with the application's loggers at DEBUG.
   */
  static Result runJava(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",
                // logback.xml reads the level from this variable; a system property wins over the
                // environment.
                "-DVITAUDIT_LOG_LEVEL=DEBUG",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("deploy-secrets", ".out");
    Path err = Files.createTempFile("deploy-secrets", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(DeployFiles.ROOT.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VITAUDIT_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", args[0]).isTrue();
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void assertNoSecretIn(String text) {
    assertThat(text).doesNotContain(PASSWORD);
    SECRET_ENV.values().forEach(v -> assertThat(text).doesNotContain(v));
  }

  @Test
  void theConfigCommandOnTheKubernetesConfigurationHidesSecretsFromTheEnvironment()
      throws Exception {
    Result r = runJava(SECRET_ENV, "config", "--config", "deploy/base/app.properties");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // The secrets arrived (listed) but masked; their neighbours are shown as they are.
    assertThat(r.out().lines())
        .contains(
            "kafka.sasl.jaas.config=[hidden]",
            "kafka.ssl.key.password=[hidden]",
            "kafka.ssl.truststore.password=[hidden]",
            "kafka.security.protocol=SASL_SSL",
            "kafka.ssl.truststore.location=/etc/vit-audit-tls/ca.crt");
    assertNoSecretIn(r.out() + r.err());
  }

  @Test
  void aConfigurationErrorBesideASecretDoesNotEchoIt() throws Exception {
    Map<String, String> env = new HashMap<>(SECRET_ENV);
    env.put("VITAUDIT_HTTP_PORT", "eighty");
    Result r = runJava(env, "config", "--config", "deploy/compose/app.properties");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("http.port").contains("VITAUDIT_HTTP_PORT");
    assertNoSecretIn(r.out() + r.err());
  }

  @Test
  void aSecretSetUnderAKeyTheApplicationRefusesIsNotEchoedEither() throws Exception {
    // A typo in the variable name: the error names the variable, not its value.
    Result r =
        runJava(
            Map.of("VITAUDIT_SASL_JAAS_CONFIG", JAAS),
            "config",
            "--config",
            "deploy/base/app.properties");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("VITAUDIT_SASL_JAAS_CONFIG");
    assertNoSecretIn(r.out() + r.err());
  }
}
