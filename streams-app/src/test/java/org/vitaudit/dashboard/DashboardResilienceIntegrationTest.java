package org.vitaudit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.serde.AuditSerdes;

/**
 * The dashboard keeps up through what happens to a real deployment: the application redeployed, the
 * broker restarted, and a burst of 2,000 audit records, during which its memory stays bounded and
 * its API keeps answering. The burst's numbers go to target/dashboard/burst.txt (and into
 * docs/dashboard.md by hand). Its own broker, since it restarts it.
 */
@Tag("integration")
class DashboardResilienceIntegrationTest {
  private static final Duration OUTCOMES = Duration.ofSeconds(60);
  private static final int BURST = 2_000;
  private static final long MIB = 1024 * 1024;

  @Test
  void itRidesOutAnApplicationAndABrokerRestartAndABurstOfTwoThousandEvents() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        LivePipeline pipeline = LivePipeline.start(kafka.bootstrapServers())) {
      long audited = 0;
      long dead = 0;
      for (String phase : List.of("first", "after-app-restart", "after-broker-restart")) {
        if (phase.equals("after-app-restart")) {
          pipeline.restartApplication();
        } else if (phase.equals("after-broker-restart")) {
          kafka.restartBroker();
        }
        long sent = pipeline.send(phase, 4, 5, 4, 1000).size();
        audited += 4;
        dead += sent - 4;
        long a = audited;
        long d = dead;
        LivePipeline.await(
            () -> pipeline.summary().audited() == a && pipeline.summary().deadLetters() == d,
            OUTCOMES,
            "the dashboard counts every event " + phase);
        assertThat(pipeline.api("/api/summary").get("audited").asLong()).isEqualTo(a);
      }
      burst(pipeline, audited);
    }
  }

  /**
   * 2,000 audit records as fast as a producer writes them (copies of a real one, maps and all),
   * twice, while a client asks the API every 50 ms; heap after a full collection before and after.
   */
  private static void burst(LivePipeline pipeline, long before) throws Exception {
    AuditRecord real =
        pipeline.dashboard.state().events(null, false, null, 100).stream()
            .filter(e -> "audit".equals(e.kind()))
            .findFirst()
            .flatMap(e -> pipeline.dashboard.state().entry(e.seq()))
            .orElseThrow()
            .audit();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long heapBefore = heapAfterGc(memory);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong peak = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread asker =
        new Thread(
            () -> {
              while (running.get()) {
                long t0 = System.nanoTime();
                try {
                  pipeline.api("/api/summary");
                  pipeline.api("/api/events?limit=100");
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                latencies.add((System.nanoTime() - t0) / 2);
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                sleep(50);
              }
            },
            "api-asker");
    asker.start();
    long t0 = System.nanoTime();
    produce(pipeline.config, real, "burst-1");
    LivePipeline.await(
        () -> pipeline.summary().audited() == before + BURST, OUTCOMES, "the first burst read");
    double seconds = (System.nanoTime() - t0) / 1e9;
    long heapAfterFirst = heapAfterGc(memory);
    produce(pipeline.config, real, "burst-2");
    LivePipeline.await(
        () -> pipeline.summary().audited() == before + 2 * BURST,
        OUTCOMES,
        "the second burst read");
    running.set(false);
    asker.join();
    long heapAfterSecond = heapAfterGc(memory);

    assertThat(pipeline.summary().feedSize()).isEqualTo(DashboardSettings.DEFAULTS.feedSize());
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double p50 = sorted.get(sorted.size() / 2) / 1e6;
    double p95 = sorted.get((int) (sorted.size() * 0.95)) / 1e6;
    double max = sorted.get(sorted.size() - 1) / 1e6;
    String report =
        String.format(
            Locale.ROOT,
            "burst of %d audit records (%d bytes each): read in %.1f s (%.0f records/s)%n"
                + "API during the bursts: %d requests, p50 %.1f ms, p95 %.1f ms, max %.1f ms%n"
                + "heap after GC (whole test JVM: broker, application, dashboard): before %d MiB,"
                + " after %d records %d MiB, after %d records %d MiB; peak heap used %d MiB%n"
                + "feed holds %d events%n",
            BURST,
            AuditSerdes.configured(pipeline.config).serializer().serialize("t", real).length,
            seconds,
            BURST / seconds,
            sorted.size(),
            p50,
            p95,
            max,
            heapBefore / MIB,
            BURST,
            heapAfterFirst / MIB,
            2 * BURST,
            heapAfterSecond / MIB,
            peak.get() / MIB,
            pipeline.summary().feedSize());
    System.out.print(report);
    Path out = Path.of(Files.isDirectory(Path.of("streams-app")) ? "streams-app" : ".", "target");
    Files.createDirectories(out.resolve("dashboard"));
    Files.writeString(out.resolve("dashboard").resolve("burst.txt"), report);
    // The second burst adds nothing that stays: the feed and aggregates are full-size already.
    assertThat(heapAfterSecond - heapAfterFirst).isLessThan(64 * MIB);
    assertThat(p95).as("API p95 during the burst, ms").isLessThan(1000);
  }

  private static void produce(AppConfig config, AuditRecord real, String prefix) {
    Map<String, Object> p = new HashMap<>(config.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    var serializer = AuditSerdes.configured(config).serializer();
    String topic = config.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < BURST; i++) {
        AuditRecord copy = AuditRecord.newBuilder(real).setEventId(prefix + "-" + i).build();
        producer.send(new ProducerRecord<>(topic, serializer.serialize(topic, copy)));
      }
      producer.flush();
    }
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    System.gc();
    sleep(200);
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
