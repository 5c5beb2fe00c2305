package org.vitaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.AuditCollector;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.AppConfig;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.serde.JsonFields;

/**
 * Events per second through a real broker: the application on its own topics, a backlog of
 * generated scenes produced before it starts, and the rate taken between the first and the last
 * audit record's processing time (so start-up and the group's first rebalance do not count). Run
 * once per micro-batch size on the same broker and inputs.
 */
public final class StreamThroughputBench {
  /** One measured configuration. */
  public record Result(int batchSize, int events, double seconds) {
    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  /** The unbatched and the batched run, on one broker and the same kind of inputs. */
  public record Comparison(Result single, Result batched) {
    public double speedup() {
      return batched.eventsPerSecond() / single.eventsPerSecond();
    }

    public ObjectNode json() {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("events", single.events() + 1);
      o.put("events_per_s_unbatched", round(single.eventsPerSecond()));
      o.put("events_per_s_batched", round(batched.eventsPerSecond()));
      o.put("batch", batched.batchSize());
      o.put("speedup", round(speedup()));
      return o;
    }

    public void table(PrintWriter out) {
      out.printf(Locale.ROOT, "%-28s %12s%n", "micro-batch", "events/s");
      out.printf(Locale.ROOT, "%-28s %12.1f%n", "1 (off)", single.eventsPerSecond());
      out.printf(
          Locale.ROOT,
          "%-28s %12.1f%n",
          String.valueOf(batched.batchSize()),
          batched.eventsPerSecond());
      out.printf(Locale.ROOT, "speed-up %.2fx%n", speedup());
    }

    private static double round(double v) {
      return JsonFields.round(v, 3);
    }
  }

  /**
   * Micro-batches of 1, then of {@code batch}, on the brokers {@code bootstrapServers} names, or on
   * an in-process broker started for the runs where it is empty.
   *
   * @param settings configuration keys every run shares (model, device, ...)
   */
  public static Comparison sideBySide(
      Map<String, String> settings, Optional<String> bootstrapServers, int events, int batch)
      throws Exception {
    try (EmbeddedKafka broker = bootstrapServers.isEmpty() ? EmbeddedKafka.start() : null) {
      Map<String, String> base = singleBrokerAware(settings, broker != null);
      StreamThroughputBench bench =
          new StreamThroughputBench(
              broker != null ? broker.bootstrapServers() : bootstrapServers.get(), base);
      return new Comparison(bench.run(1, events), bench.run(batch, events));
    }
  }

  /** The settings with the replication factor an in-process broker (a single one) can give. */
  static Map<String, String> singleBrokerAware(Map<String, String> settings, boolean inProcess) {
    Map<String, String> base = new HashMap<>(settings);
    base.put(AppConfig.REPLICATION_FACTOR_CONFIG, inProcess ? "1" : "-1");
    return base;
  }

  private final String bootstrapServers;
  private final Map<String, String> baseSettings;

  /**
   * @param baseSettings configuration keys every run shares (model, device, ...)
   */
  public StreamThroughputBench(String bootstrapServers, Map<String, String> baseSettings) {
    this.bootstrapServers = bootstrapServers;
    this.baseSettings = baseSettings;
  }

  /**
   * The settings of one benchmark run: its own application id, topics and state folder, so runs on
   * one broker do not see each other's records, and a free HTTP port.
   */
  static AppConfig runConfig(
      String bootstrapServers, Map<String, String> base, String run, int batchSize)
      throws IOException {
    Map<String, String> s = new HashMap<>(base);
    s.put(AppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    s.put(AppConfig.APPLICATION_ID_CONFIG, run);
    s.put(AppConfig.INPUT_TOPIC_CONFIG, run + "-images");
    s.put(AppConfig.AUDIT_TOPIC_CONFIG, run + "-audit");
    s.put(AppConfig.DLQ_TOPIC_CONFIG, run + "-dlq");
    s.put(AppConfig.LABELS_TOPIC_CONFIG, run + "-labels");
    s.put(AppConfig.MISPREDICTIONS_TOPIC_CONFIG, run + "-mispredictions");
    s.put(AppConfig.HTTP_PORT_CONFIG, "0");
    s.put(AppConfig.BATCH_MAX_RECORDS_CONFIG, String.valueOf(batchSize));
    s.put(AppConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(10, batchSize)));
    Path state = Files.createTempDirectory("vit-audit-bench");
    s.put("kafka.state.dir", state.toString());
    return new AppConfig(s);
  }

  public Result run(int batchSize, int events) throws Exception {
    String run = "bench-" + batchSize + "-" + Long.toString(System.nanoTime(), 36);
    AppConfig c = runConfig(bootstrapServers, baseSettings, run, batchSize);
    List<DemoEvents.Sent> sent =
        DemoEvents.make(run, events, 4000, Integer.MAX_VALUE).stream()
            .filter(e -> e.scene().isPresent())
            .toList();
    AuditApplication.createMissingTopics(c);
    // The backlog is in the topic before the application starts, so the clock measures the stream
    // alone.
    DemoEvents.produce(c.clientProperties(), c.getString(AppConfig.INPUT_TOPIC_CONFIG), sent);
    try (AuditApplication app = AuditApplication.start(c)) {
      AuditCollector.Outcomes out =
          AuditCollector.collect(
              c,
              sent.stream().map(DemoEvents.Sent::eventId).collect(Collectors.toSet()),
              Duration.ofMinutes(10),
              (a, d) -> {});
      if (out.total() != sent.size()) {
        throw new IllegalStateException(
            "only " + out.total() + " of " + sent.size() + " events came out");
      }
      var times =
          out.audited().values().stream()
              .mapToLong(a -> a.getProcessingTime().toEpochMilli())
              .summaryStatistics();
      // n records span n-1 gaps between the first and the last.
      return new Result(
          batchSize, sent.size() - 1, Math.max(1, times.getMax() - times.getMin()) / 1000.0);
    }
  }
}
