package org.vitaudit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.AuditCollector;
import org.vitaudit.app.AuditorFactory;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.AppConfig;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.schemas.AuditRecord;

/**
 * Events per second through a real broker: the application on its own topics, a backlog of
 * generated scenes produced before it starts, and the rate taken between the first and the last
 * audit record's processing time (so start-up and the group's first rebalance do not count). Run
 * once per micro-batch size on the same broker and inputs.
 */
public final class StreamThroughputBench {
  /**
   * The warm-up ends after a round in which the JIT compilers worked less than this share of the
   * time...
   */
  static final double QUIET_JIT_SHARE = 0.05;

  /**
   * ... or at least this fraction of the share of the round before: where the compilers keep
   * working at a steady rate (about 12 % of the time on two cores, round after round, as each run
   * starts a new application), more rounds would not make them quieter.
   */
  static final double LEVELLED_OFF = 0.8;

  /**
   * Whether the warm-up can end after a round with {@code share}, {@code before} the one earlier.
   */
  static boolean quiet(double share, double before) {
    return Double.isNaN(share) || share < QUIET_JIT_SHARE || share >= LEVELLED_OFF * before;
  }

  /**
   * One measured configuration.
   *
   * @param modelMillis the mean over the events of the model's time per event (G's share of its
   *     batch, and H), as the audit records' timings give it: what the model's runs cost in this
   *     run, whatever else ran beside them
   */
  public record Result(int batchSize, int events, double seconds, double modelMillis) {
    public double eventsPerSecond() {
      return events / seconds;
    }

    /**
     * The rate between the first and the last of the audit records' processing times: n records
     * span n-1 gaps, and start-up, the first rebalance and the wait for the last record to be read
     * back do not count.
     */
    static Result between(int batchSize, Collection<Long> processingMillis, double modelMillis) {
      if (processingMillis.size() < 2) {
        throw new IllegalArgumentException("a rate needs at least two records");
      }
      var times = processingMillis.stream().mapToLong(Long::longValue).summaryStatistics();
      return new Result(
          batchSize,
          processingMillis.size() - 1,
          Math.max(1, times.getMax() - times.getMin()) / 1000.0,
          modelMillis);
    }

    /** The rate and the model's time per event of these audit records. */
    static Result of(int batchSize, Collection<AuditRecord> records) {
      return between(
          batchSize,
          records.stream().map(a -> a.getProcessingTime().toEpochMilli()).toList(),
          records.stream()
              .mapToDouble(a -> a.getTimings().getGMs() + a.getTimings().getHMs())
              .average()
              .orElse(Double.NaN));
    }
  }

  /**
   * Micro-batches of 1, then of {@code batch}, on the brokers {@code bootstrapServers} names, or on
   * an in-process broker started for the runs where it is empty; around each stream run, the engine
   * alone on the same events with the same micro-batch size. Unmeasured rounds come first, until
   * the JIT compilers have gone quiet or {@code maxWarmUpRounds} have run.
   *
   * @param settings configuration keys every run shares (model, device, ...)
   * @param progress told how each warm-up round went
   */
  public static StreamComparison sideBySide(
      Map<String, String> settings,
      Optional<String> bootstrapServers,
      int events,
      int batch,
      int rounds,
      int maxWarmUpRounds,
      Consumer<String> progress)
      throws Exception {
    if (rounds < 1) {
      throw new IllegalArgumentException("--stream-rounds must be at least 1");
    }
    if (maxWarmUpRounds < 1) {
      throw new IllegalArgumentException("--stream-warm-up must be at least 1");
    }
    try (EmbeddedKafka broker = bootstrapServers.isEmpty() ? EmbeddedKafka.start() : null) {
      Map<String, String> base = singleBrokerAware(settings, broker != null);
      String servers = broker != null ? broker.bootstrapServers() : bootstrapServers.get();
      StreamThroughputBench bench = new StreamThroughputBench(servers, base);
      AppConfig engineConfig = runConfig(servers, base, "bench-engine", 1);
      try (AuditorFactory.Opened model = AuditorFactory.open(engineConfig)) {
        EngineThroughput engine =
            new EngineThroughput(
                model.auditor(), engineConfig.getBoolean(AppConfig.LABEL_JOIN_ENABLED_CONFIG));
        List<DemoEvents.Sent> same = scenes("engine", events);
        int warmUp = bench.warmUp(engine, same, batch, events, maxWarmUpRounds, progress);
        List<StreamComparison.Round> single = new ArrayList<>();
        List<StreamComparison.Round> batched = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          Pair pair = bench.pairOfRounds(engine, same, batch, events);
          single.add(pair.single());
          batched.add(pair.batched());
        }
        return new StreamComparison(
            new StreamComparison.Side(1, single),
            new StreamComparison.Side(batch, batched),
            warmUp);
      }
    }
  }

  /**
   * Unmeasured pairs of rounds, until the JIT compilers are {@link #quiet} or {@code maxRounds}
   * have run: the engine's code and the stream's (Kafka's clients and broker, Streams, the
   * serialisers) are compiled as they run, and the compilers take the cores the measured threads
   * need.
   *
   * @return how many ran
   */
  private int warmUp(
      EngineThroughput engine,
      List<DemoEvents.Sent> same,
      int batch,
      int events,
      int maxRounds,
      Consumer<String> progress)
      throws Exception {
    int rounds = 0;
    double jitShare = Double.POSITIVE_INFINITY;
    double before;
    do {
      rounds++;
      before = jitShare;
      jitShare = pairOfRounds(engine, same, batch, events).jitShare();
      progress.accept(
          String.format(
              Locale.ROOT,
              "warm-up round %d: the JIT compilers worked %.1f %% of the time",
              rounds,
              100 * jitShare));
    } while (rounds < maxRounds && !quiet(jitShare, before));
    return rounds;
  }

  /** A round of each size, and the share of their time the JIT compilers worked. */
  private record Pair(
      StreamComparison.Round single, StreamComparison.Round batched, double jitShare) {}

  /** The sizes alternate round by round, so a slow spell of the machine hits both. */
  private Pair pairOfRounds(
      EngineThroughput engine, List<DemoEvents.Sent> same, int batch, int events) throws Exception {
    JitClock.Watch jit = JitClock.watch();
    StreamComparison.Round single = round(engine, same, 1, events);
    StreamComparison.Round batched = round(engine, same, batch, events);
    return new Pair(single, batched, jit.share());
  }

  /**
   * The engine alone, the stream, the engine alone again: on the same events, one batch size, with
   * the share of the round's time the JIT compilers worked.
   */
  private StreamComparison.Round round(
      EngineThroughput engine, List<DemoEvents.Sent> same, int batch, int events) throws Exception {
    JitClock.Watch jit = JitClock.watch();
    Result before = engine.run(same, batch);
    Result stream = run(batch, events);
    Result after = engine.run(same, batch);
    return new StreamComparison.Round(stream, before, after, jit.share());
  }

  /** {@code count} generated scenes (the corrupt events left out), the same for every run. */
  private static List<DemoEvents.Sent> scenes(String run, int count) {
    return DemoEvents.make(run, count, 4000, Integer.MAX_VALUE).stream()
        .filter(e -> e.scene().isPresent())
        .toList();
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
    List<DemoEvents.Sent> sent = scenes(run, events);
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
      return Result.of(batchSize, out.audited().values());
    }
  }
}
