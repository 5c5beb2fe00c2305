package org.vitaudit.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;

/** Connects a {@link KafkaStreams} client to the health and metrics endpoints. */
public final class StreamsProbes {

  private StreamsProbes() {}

  /**
   * Ready only while the client is RUNNING: not while it starts, rebalances, restores state or
   * shuts down, so a load balancer or rollout waits for a working instance.
   */
  public static BooleanSupplier runningCheck(KafkaStreams streams) {
    return () -> streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * Publishes Kafka Streams' own metrics (and its clients') in the registry, as {@code
   * kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}. Bind after creating the
   * client; close the result before closing the registry. New client metrics (such as per-task ones
   * after a rebalance) appear at Micrometer's next refresh, within a minute.
   */
  public static KafkaStreamsMetrics bindMetrics(KafkaStreams streams, MeterRegistry registry) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    return metrics;
  }
}
