package org.vitaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application as a child JVM, {@code run --config FILE}, as a deployment runs it: it can be
 * killed without a chance to close or commit, or stopped with SIGTERM. Its output goes to {@code
 * NAME.log} in the folder given.
 */
public final class AppProcess implements AutoCloseable {
  private static final Pattern HTTP_PORT =
      Pattern.compile("Health and metrics endpoints on address \\S+ port (\\d+)");

  private final Process process;
  private final Path log;

  private AppProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Writes the settings to {@code NAME.properties} in {@code dir} and starts {@code run}. */
  public static AppProcess start(Map<String, String> settings, Path dir, String name)
      throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    Path file = dir.resolve(name + ".properties");
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, name);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "org.vitaudit.cli.Main",
                "run",
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new AppProcess(process, log);
  }

  /** What it has logged so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of its health and metrics endpoints, once it has logged it. */
  public int httpPort(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = HTTP_PORT.matcher(log());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(process.isAlive()).as("the application runs; its log:%n%s", log()).isTrue();
      assertThat(System.nanoTime()).as("the endpoints start; log:%n%s", log()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no close, no commit. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * SIGSTOP: freezes it at once, mid-transaction if it is in one, so a test can look at what it has
   * done before deciding to kill it; {@link #resume} lets it go on.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -%s %d", name, process.pid())
        .isTrue();
  }

  /** SIGTERM, the orderly stop; the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("stops within its shutdown timeout")
        .isTrue();
    return process.exitValue();
  }

  /** Kills it where a test left it running. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
