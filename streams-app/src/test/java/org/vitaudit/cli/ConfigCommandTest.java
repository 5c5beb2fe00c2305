package org.vitaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import picocli.CommandLine;

class ConfigCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void listPrintsEveryKnownKeyWithDefaultAndDescriptionTabSeparated() {
    assertThat(run("config", "--list")).isZero();
    List<String> lines = out.toString().lines().toList();

    Set<String> listed = lines.stream().map(l -> l.split("\t", -1)[0]).collect(Collectors.toSet());
    assertThat(listed).containsAll(AppConfig.configDef().names()).contains("kafka.*");
    // Keys named here, not taken from the ConfigDef the command prints, and each listed once.
    assertThat(listed)
        .contains(
            "application.id",
            "bootstrap.servers",
            "input.topic",
            "input.format",
            "audit.topic",
            "audit.format",
            "dlq.topic",
            "model.path",
            "device",
            "http.port",
            "processing.guarantee",
            "replication.factor",
            "batch.max.records",
            "batch.max.wait.ms",
            "quality.sample.rate");
    assertThat(lines).hasSameSizeAs(listed);
    assertThat(lines).allSatisfy(l -> assertThat(l.split("\t", -1)).hasSize(3));
    assertThat(lines)
        .contains(
            "input.topic\timages\tTopic of image events.",
            "processing.guarantee\texactly_once_v2\texactly_once_v2: each input yields its audit or"
                + " DLQ record exactly once, atomically with the offset commit (needs 3 brokers by"
                + " default, or replication.factor and transaction.state.log settings of 1 on a"
                + " single broker). at_least_once: may duplicate after a crash.");
    assertThat(lines.stream().filter(l -> l.startsWith("model.path\t")))
        .singleElement()
        .satisfies(l -> assertThat(l.split("\t", -1)[1]).isEmpty());
  }

  @Test
  void withoutListPrintsTheEffectiveConfigurationMasked() {
    assertThat(
            run(
                "config",
                "--bootstrap-servers",
                "b1:9092",
                "--set",
                "audit.format=json",
                "--set",
                "kafka.sasl.jaas.config=secret-jaas-line"))
        .isZero();
    assertThat(out.toString().lines())
        .contains(
            "bootstrap.servers=b1:9092", "audit.format=json", "kafka.sasl.jaas.config=[hidden]");
    assertThat(out.toString()).doesNotContain("secret-jaas-line");
  }

  @Test
  void anInvalidValueIsOneLineOnStderrAndExitCode2() {
    assertThat(run("config", "--set", "http.port=eighty")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "Configuration error: Invalid value 'eighty' for http.port: Not a number of type INT;"
                + " allowed: [0,...,65535] (from --set)");
    assertThat(out.toString()).isEmpty();
  }
}
