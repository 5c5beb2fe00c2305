package org.vitaudit.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.app.AuditCollector;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.AppConfig;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.kafka.EmbeddedKafka;
import org.vitaudit.model.ModelSetup;

/**
 * Long runs that show whether memory grows with the work done: the stream with one instance, and
 * the engine alone (explains, with engines opened and closed along the way). Memory is sampled
 * between chunks of work, once everything sent so far has come out.
 */
public final class SoakBench {
  /** How long one chunk of events may take to come out before the soak gives up. */
  private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(5);

  private SoakBench() {}

  /**
   * {@code events} generated scenes through one application instance on the brokers named (an
   * in-process one where empty), {@code every} at a time, memory sampled after each chunk.
   *
   * @param settings configuration keys of the application (model, device, ...)
   */
  public static SoakResult stream(
      Map<String, String> settings,
      Optional<String> bootstrapServers,
      int events,
      int every,
      LongConsumer progress)
      throws Exception {
    check(events, every);
    try (EmbeddedKafka broker = bootstrapServers.isEmpty() ? EmbeddedKafka.start() : null) {
      String run = "soak-" + Long.toString(System.nanoTime(), 36);
      AppConfig c =
          StreamThroughputBench.runConfig(
              broker != null ? broker.bootstrapServers() : bootstrapServers.get(),
              StreamThroughputBench.singleBrokerAware(settings, broker != null),
              run,
              1);
      AuditApplication.createMissingTopics(c);
      List<SoakResult.Sample> samples = new ArrayList<>();
      long sent = 0;
      try (AuditApplication app = AuditApplication.start(c)) {
        for (int done = 0; done < events; done += every) {
          List<DemoEvents.Sent> chunk =
              DemoEvents.make(
                  run + "-" + done, Math.min(every, events - done), done, Integer.MAX_VALUE);
          DemoEvents.produce(
              c.clientProperties(), c.getString(AppConfig.INPUT_TOPIC_CONFIG), chunk);
          Set<String> ids =
              chunk.stream().map(DemoEvents.Sent::eventId).collect(Collectors.toSet());
          AuditCollector.Outcomes out = AuditCollector.collect(c, ids, CHUNK_TIMEOUT, (a, d) -> {});
          if (out.total() != chunk.size()) {
            throw new IllegalStateException(
                "only "
                    + out.total()
                    + " of "
                    + chunk.size()
                    + " events came out of chunk "
                    + done);
          }
          sent += chunk.size();
          samples.add(sample(sent));
          progress.accept(sent);
        }
      }
      return new SoakResult("events", samples);
    }
  }

  /**
   * {@code explains} explains on the engine alone, cycling through {@code inputs}; every {@code
   * reopenEvery} explains the engine is closed and a new one opened, so leaked sessions would show;
   * memory sampled every {@code every} explains.
   */
  public static SoakResult engine(
      ModelSetup setup,
      EngineOptions options,
      ExplainRequest request,
      List<float[]> inputs,
      int explains,
      int every,
      int reopenEvery,
      LongConsumer progress) {
    check(explains, every);
    List<SoakResult.Sample> samples = new ArrayList<>();
    SaliencyEngine engine = SaliencyEngine.open(setup.bundle(), options);
    try {
      for (int i = 1; i <= explains; i++) {
        engine.explain(inputs.get(i % inputs.size()), request);
        if (i % reopenEvery == 0) {
          engine.close();
          engine = SaliencyEngine.open(setup.bundle(), options);
        }
        if (i % every == 0) {
          samples.add(sample(i));
          progress.accept(i);
        }
      }
    } finally {
      engine.close();
    }
    return new SoakResult("explains", samples);
  }

  private static SoakResult.Sample sample(long count) {
    double heap = ProcessMemory.heapAfterGcMiB();
    return new SoakResult.Sample(
        count, heap, ProcessMemory.residentMiB(), ProcessMemory.committedHeapMiB());
  }

  private static void check(int total, int every) {
    if (every < 1 || total < 4 * every) {
      throw new IllegalArgumentException(
          "a soak needs at least 4 samples: the total must be 4 times the sampling step or more,"
              + " not "
              + total
              + " for "
              + every);
    }
  }
}
