package org.vitaudit.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;

/** Connects a {@link KafkaStreams} client to the health and metrics endpoints. */
public final class StreamsProbes {

  /**
   * How often the Kafka metrics are looked at for new ones. Micrometer's default is a minute; the
   * per-partition consumer lag only exists once a rebalance has assigned the partition, so a
   * shorter look shows it by the next scrape. A look walks a few thousand metric names: cheap.
   */
  private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

  private StreamsProbes() {}

  /**
   * Ready only while the client is RUNNING: not while it starts, rebalances, restores state or
   * shuts down, so a load balancer or rollout waits for a working instance.
   */
  public static BooleanSupplier runningCheck(KafkaStreams streams) {
    return () -> streams.state() == KafkaStreams.State.RUNNING;
  }

  /** As {@link #runningCheck}, naming the state where it is not RUNNING. */
  public static Readiness readiness(KafkaStreams streams) {
    return () -> {
      KafkaStreams.State state = streams.state();
      return state == KafkaStreams.State.RUNNING
          ? Optional.empty()
          : Optional.of("Kafka Streams is " + state);
    };
  }

  /**
   * Publishes Kafka Streams' own metrics (and its clients') in the registry, as {@code
   * kafka_stream_*}, {@code kafka_consumer_*} (the consumer lag per partition among them: {@code
   * kafka_consumer_fetch_manager_records_lag}), {@code kafka_producer_*}. Bind after creating the
   * client; close the result before closing the registry. New client metrics (such as per-task and
   * per-partition ones after a rebalance) appear within 5 seconds.
   */
  public static AutoCloseable bindMetrics(KafkaStreams streams, MeterRegistry registry) {
    ScheduledExecutorService refresh =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kafka-metrics-refresh"));
    KafkaStreamsMetrics metrics =
        new KafkaStreamsMetrics(streams, List.of(), refresh, KAFKA_METRICS_REFRESH);
    metrics.bindTo(registry);
    // Micrometer leaves a scheduler it was given running; it is ours to stop.
    return () -> {
      metrics.close();
      refresh.shutdownNow();
    };
  }
}
