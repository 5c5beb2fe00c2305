package org.vitaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitaudit.http.AdminHttpServer;

/**
 * deploy/docker/healthcheck.sh, the images' health check (no curl in them), against the
 * application's real HTTP endpoints: healthy exactly when the endpoint answers 200.
 */
class DeployHealthcheckScriptTest {

  private static final Path SCRIPT = DeployFiles.path("deploy/docker/healthcheck.sh");
  private static final Path BASH = Path.of("/bin/bash");

  @BeforeAll
  static void needsBash() {
    assumeTrue(Files.isExecutable(BASH), "no /bin/bash here");
  }

  private static int check(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BASH.toString(), SCRIPT.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void healthyOnlyWhileTheEndpointAnswers200() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (AdminHttpServer http =
        AdminHttpServer.start(
            0, ready::get, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      String port = String.valueOf(http.port());
      assertThat(check(AdminHttpServer.READY_PATH, port)).as("503 while not ready").isEqualTo(1);
      assertThat(check(AdminHttpServer.LIVE_PATH, port)).as("live").isZero();
      ready.set(true);
      assertThat(check(AdminHttpServer.READY_PATH, port)).as("ready").isZero();
      assertThat(check("/no-such-endpoint", port)).as("404").isEqualTo(1);
    }
  }

  @Test
  void unhealthyWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(check(AdminHttpServer.READY_PATH, String.valueOf(port))).isEqualTo(1);
  }
}
