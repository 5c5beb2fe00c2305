package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.InputFormat;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.serde.AuditSerdes;
import org.vitaudit.testing.AppProcess;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.RunSettings;
import org.vitaudit.testing.TestBroker;

/**
 * Three application processes in one group share a six-partition input while events flow (raw or
 * Avro, a third with the true label, a third with a wrong one, some corrupt). One process is killed
 * with SIGKILL while it has uncommitted work and a fourth takes its place; then the broker stops
 * and starts again on the same port and log directory. Afterwards a read_committed reader must find
 * every input's one outcome, every misprediction once, each key's outputs in input order and the
 * micro-batch stores empty; at_least_once must lose nothing. docs/reliability.md, "Scale-out and
 * faults", has the figures. {@code mvn verify} sends 1,000 events per run to stay within the
 * suite's time; {@code -Dscaleout.events=3000} gives the documented run, {@code
 * -Dscaleout.runs=RAW_EXACTLY_ONCE,...} picks runs.
 */
@Tag("integration")
class ScaleOutFaultsIntegrationTest {
  private static final int EVENTS = Integer.getInteger("scaleout.events", 1000);
  private static final int CORRUPT_EVERY = 41;

  @TempDir Path tmp;

  /** The runs: input format and processing guarantee. */
  enum Run {
    RAW_EXACTLY_ONCE(InputFormat.RAW, "exactly_once_v2"),
    AVRO_EXACTLY_ONCE(InputFormat.AVRO, "exactly_once_v2"),
    RAW_AT_LEAST_ONCE(InputFormat.RAW, "at_least_once");

    final InputFormat format;
    final String guarantee;

    Run(InputFormat format, String guarantee) {
      this.format = format;
      this.guarantee = guarantee;
    }

    boolean exactlyOnce() {
      return guarantee.startsWith("exactly_once");
    }
  }

  @ParameterizedTest
  @EnumSource(Run.class)
  void threeInstancesRideOutAKillAndABrokerRestart(Run run) throws Exception {
    String only = System.getProperty("scaleout.runs", "");
    assumeTrue(
        only.isEmpty() || List.of(only.split(",")).contains(run.name()), "not in scaleout.runs");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      new Scenario(kafka, run).play();
    }
  }

  /** One run: the group, the events, the faults, and what a downstream reader sees afterwards. */
  private final class Scenario {
    private final EmbeddedKafka kafka;
    private final Run run;
    private final TestBroker broker;
    private final Map<String, String> base;
    private final AppConfig config;
    private final String group;
    private final String input;
    // The event id rule of this run's input format, for dead letters and the uncommitted view.
    private final EventReader<?> reader;
    private final Map<String, AppProcess> instances = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();

    Scenario(EmbeddedKafka kafka, Run run) {
      this.kafka = kafka;
      this.run = run;
      this.broker = TestBroker.over(kafka);
      this.base =
          RunSettings.of(
              kafka.bootstrapServers(),
              tmp.resolve("unused"),
              AppConfig.INPUT_FORMAT_CONFIG,
              run.format.name().toLowerCase(Locale.ROOT),
              AppConfig.PROCESSING_GUARANTEE_CONFIG,
              run.guarantee,
              AppConfig.BATCH_MAX_RECORDS_CONFIG,
              "8",
              AppConfig.BATCH_MAX_WAIT_MS_CONFIG,
              "200",
              AppConfig.TRANSACTION_TIMEOUT_MS_CONFIG,
              "10000",
              // A dead member leaves the group after its session times out: keep that short.
              "kafka.session.timeout.ms",
              "6000",
              "kafka.heartbeat.interval.ms",
              "1000");
      this.config = new AppConfig(base);
      this.group = config.getString(AppConfig.APPLICATION_ID_CONFIG);
      this.input = config.getString(AppConfig.INPUT_TOPIC_CONFIG);
      this.reader = EventReaders.configured(config);
    }

    private String audit() {
      return config.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    }

    private String dlq() {
      return config.getString(AppConfig.DLQ_TOPIC_CONFIG);
    }

    private String mispredictions() {
      return config.getString(AppConfig.MISPREDICTIONS_TOPIC_CONFIG);
    }

    void play() throws Exception {
      broker.createTopics(
          6,
          input,
          audit(),
          dlq(),
          mispredictions(),
          config.getString(AppConfig.LABELS_TOPIC_CONFIG));
      ScaleOutEvents events = ScaleOutEvents.make("so", EVENTS, CORRUPT_EVERY);
      try (GroupAdmin admin = new GroupAdmin(broker, group);
          OutcomeLedger ledger =
              new OutcomeLedger(
                  broker, List.of(audit(), dlq(), mispredictions()), dlq(), reader::storedEventId);
          KafkaProducer<byte[], byte[]> producer = producer()) {
        for (String name : List.of("a", "b", "c")) {
          startInstance(name);
        }
        admin.awaitStable(3, 120);
        long began = System.nanoTime();
        Sent sent = new Sent();
        Kill kill = null;
        long restartBegan = 0;
        long restartEnded = 0;
        for (int i = 0; i < EVENTS; i++) {
          ScaleOutEvents.Event e = events.events().get(i);
          sent.add(e.id(), producer.send(ScaleOutEvents.record(input, e, run.format)));
          if (i % 25 == 24) {
            producer.flush();
            Thread.sleep(100); // about 250 events/s: the faults hit a flow, not an idle group
          }
          if (i == EVENTS / 3) {
            producer.flush();
            kill = killWithUncommittedWork(admin, ledger, sent.resolved());
            startInstance("d");
          }
          if (i == 2 * EVENTS / 3) {
            producer.flush();
            restartBegan = System.nanoTime();
            kafka.restartBroker();
            restartEnded = System.nanoTime();
          }
        }
        producer.flush();
        Map<String, RecordMetadata> where = sent.resolved();
        report.add(
            String.format(
                "%d events produced in %.1f s (%s, %s)",
                EVENTS, (System.nanoTime() - began) / 1e9, run.format, run.guarantee));
        awaitOutcomes(ledger, Set.of(audit(), dlq()), EVENTS, Duration.ofSeconds(300));
        report.add(
            String.format(
                "all outcomes committed %.1f s after the first event",
                (System.nanoTime() - began) / 1e9));
        Thread.sleep(3000); // duplicates arriving late would show here
        List<OutcomeLedger.Entry> out = ledger.entries();
        report.add(
            String.format(
                "kill: recovered in %.1f s (the first committed outcome of an input of the killed"
                    + " instance's that had none at the kill)",
                (kill.firstOutcome(out, where) - kill.at()) / 1e9));
        report.add(
            String.format(
                "broker restart: down %.1f s; committed outcomes again %.1f s after it began",
                (restartEnded - restartBegan) / 1e9,
                (firstArrivalAfter(out, restartEnded) - restartBegan) / 1e9));
        OutcomeJudge.Counts counts =
            new OutcomeJudge(
                    events,
                    AuditSerdes.configured(config).deserializer(),
                    audit(),
                    dlq(),
                    mispredictions())
                .judge(out, run.exactlyOnce());
        report.add(counts.toString());
      } finally {
        for (AppProcess p : instances.values()) {
          if (p.isAlive()) {
            p.stop();
          }
        }
      }
      Map<String, byte[]> left = batchStoreContents();
      report.add("micro-batch store entries left: " + left.size());
      report.forEach(l -> System.out.println("[scale-out " + run + "] " + l));
      assertThat(left).as("micro-batch store entries left").isEmpty();
    }

    /**
     * Kills instance a at a moment it has written outcomes whose inputs' offsets it has not
     * committed: under exactly-once they sit in its open transaction, under at_least_once they will
     * be written again. The process is frozen (SIGSTOP) while the test looks, so what it sees is
     * what the kill loses; where a commit had just gone through, it thaws and tries again.
     */
    private Kill killWithUncommittedWork(
        GroupAdmin admin, OutcomeLedger ledger, Map<String, RecordMetadata> sent) throws Exception {
      AppProcess a = instances.get("a");
      Set<TopicPartition> owned = admin.assignment("inst-a", input);
      assertThat(owned).as("instance a owns input partitions").isNotEmpty();
      try (KafkaConsumer<byte[], byte[]> view = uncommittedView()) {
        Set<String> visible = new HashSet<>();
        for (int attempt = 1; attempt <= 40; attempt++) {
          a.pause();
          // A commit already on its way to the broker completes without the process: let it land.
          Thread.sleep(500);
          for (int polls = 0; polls < 5; polls++) {
            view.poll(Duration.ofMillis(50)).forEach(r -> visible.add(reader.storedEventId(r)));
          }
          Map<TopicPartition, Long> committed = admin.committed(owned);
          Set<String> uncommitted = beyond(visible, sent, committed);
          if (!uncommitted.isEmpty()) {
            Set<String> committedOutcomes = new HashSet<>();
            ledger.entries().forEach(e -> committedOutcomes.add(e.eventId()));
            long at = System.nanoTime();
            a.kill();
            assertThat(admin.committed(owned))
                .as("no commit after the freeze")
                .isEqualTo(committed);
            report.add(
                String.format(
                    "kill: attempt %d, instance a frozen with %d outcomes written"
                        + " but not committed",
                    attempt, uncommitted.size()));
            return new Kill(at, owned, committedOutcomes, uncommitted);
          }
          a.resume();
          Thread.sleep(150);
        }
      }
      throw new AssertionError("instance a never had uncommitted outcomes when frozen");
    }

    private KafkaConsumer<byte[], byte[]> uncommittedView() {
      Map<String, Object> p = new HashMap<>(broker.clientProperties());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
      KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> tps = new ArrayList<>();
      for (String t : List.of(audit(), dlq())) {
        c.partitionsFor(t).forEach(pi -> tps.add(new TopicPartition(t, pi.partition())));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      return c;
    }

    private static Set<String> beyond(
        Set<String> visible,
        Map<String, RecordMetadata> sent,
        Map<TopicPartition, Long> committed) {
      Set<String> out = new HashSet<>();
      for (String id : visible) {
        RecordMetadata m = sent.get(id);
        if (m == null) {
          continue;
        }
        Long c = committed.get(new TopicPartition(m.topic(), m.partition()));
        if (c != null && m.offset() >= c) {
          out.add(id);
        }
      }
      return out;
    }

    private void startInstance(String name) throws Exception {
      Map<String, String> s = new HashMap<>(base);
      Path state = tmp.resolve("state-" + name);
      Files.createDirectories(state);
      s.put("kafka.state.dir", state.toString());
      // Streams names its clients after this: the group's members say which process is which.
      s.put("kafka.client.id", "inst-" + name);
      // The processes' logs stay after the run (target/scale-out-logs/RUN/NAME.log): a failure
      // there
      // is read from them.
      Path logs = Files.createDirectories(Path.of("target", "scale-out-logs", run.name()));
      instances.put(name, AppProcess.start(s, logs, name));
    }

    private KafkaProducer<byte[], byte[]> producer() {
      return KafkaTestClients.producer(
          broker,
          Map.of(
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    /** The micro-batch store as its changelog says it is now: key to value, deletions applied. */
    private Map<String, byte[]> batchStoreContents() {
      String changelog = group + "-" + AuditProcessor.STORE + "-changelog";
      Map<String, byte[]> state = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> c = KafkaTestClients.readCommittedConsumer(broker)) {
        List<TopicPartition> tps =
            c.partitionsFor(changelog).stream()
                .map(pi -> new TopicPartition(changelog, pi.partition()))
                .toList();
        c.assign(tps);
        c.seekToBeginning(tps);
        Map<TopicPartition, Long> end = c.endOffsets(tps);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
          assertThat(System.nanoTime()).as("read %s to its end", changelog).isLessThan(deadline);
          for (var r : c.poll(Duration.ofMillis(200))) {
            String k = r.partition() + "/" + Arrays.toString(r.key());
            if (r.value() == null) {
              state.remove(k);
            } else {
              state.put(k, r.value());
            }
          }
        }
      }
      return state;
    }
  }

  /**
   * The moment instance a died, its partitions, the events with a committed outcome then, and the
   * outcomes it had written without committing.
   */
  private record Kill(
      long at,
      Set<TopicPartition> partitions,
      Set<String> committedOutcomes,
      Set<String> uncommitted) {

    /** When the first committed outcome of an input of a's that had none at the kill arrived. */
    long firstOutcome(List<OutcomeLedger.Entry> out, Map<String, RecordMetadata> sent) {
      return out.stream()
          .filter(e -> e.seenNanos() > at && !committedOutcomes.contains(e.eventId()))
          .filter(
              e -> {
                RecordMetadata m = sent.get(e.eventId());
                return partitions.contains(new TopicPartition(m.topic(), m.partition()));
              })
          .mapToLong(OutcomeLedger.Entry::seenNanos)
          .min()
          .orElseThrow();
    }
  }

  /** The producer's acknowledgements, by event id. */
  private static final class Sent {
    private final Map<String, Future<RecordMetadata>> futures = new LinkedHashMap<>();

    void add(String id, Future<RecordMetadata> f) {
      futures.put(id, f);
    }

    /** Where each event sent so far landed; call after a flush. */
    Map<String, RecordMetadata> resolved() throws Exception {
      Map<String, RecordMetadata> m = new HashMap<>();
      for (var e : futures.entrySet()) {
        m.put(e.getKey(), e.getValue().get());
      }
      return m;
    }
  }

  private static long firstArrivalAfter(List<OutcomeLedger.Entry> out, long nanos) {
    return out.stream()
        .mapToLong(OutcomeLedger.Entry::seenNanos)
        .filter(t -> t > nanos)
        .min()
        .orElseThrow();
  }

  private static void awaitOutcomes(
      OutcomeLedger ledger, Set<String> outcomeTopics, int inputs, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Set<String> ids = new HashSet<>();
      ledger.entries().stream()
          .filter(e -> outcomeTopics.contains(e.topic()))
          .forEach(e -> ids.add(e.eventId()));
      if (ids.size() >= inputs) {
        return;
      }
      assertThat(System.nanoTime())
          .as("outcomes of all %d inputs committed (have %d)", inputs, ids.size())
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
