package org.vitaudit.cli;

import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.config.AppConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: the auditing application against any Kafka cluster, until SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the auditing application: consumes image events, publishes audit records and",
      "dead letters, serves /health/live, /health/ready and /metrics. Stops cleanly on SIGTERM.",
      "Where the model cannot be opened or stops running, consumes nothing and stays up, not",
      "ready (/health/ready 503 says why), until SIGTERM."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws InterruptedException {
    AppConfig c = config.load();
    AuditApplication app = AuditApplication.startOrStandBy(c);
    Thread stopper = new Thread(app::close, "vit-audit-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    app.awaitStop();
    return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
  }
}
