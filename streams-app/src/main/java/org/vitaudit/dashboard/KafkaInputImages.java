package org.vitaudit.dashboard;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.vitaudit.config.AppConfig;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * Reads one input record by partition and offset when the page asks for its image: a consumer of
 * its own with no group (assign and seek, nothing committed), one fetch of at most {@code
 * image.max.bytes} plus headroom, and the image taken from the raw value or the Avro {@code
 * ImageEvent} as {@code input.format} says. URIs are not fetched here: the dashboard does not reach
 * out to where producers keep files.
 */
public final class KafkaInputImages implements InputImages, AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final boolean avro;
  private final AvroSingleObjectSerde<ImageEvent> events =
      AvroSingleObjectSerde.forClass(ImageEvent.class);

  public KafkaInputImages(AppConfig config) {
    Map<String, Object> p =
        DashboardConsumers.properties(config.clientProperties(), "vit-audit-dashboard-images-");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    // One record of the largest image the stream accepts, plus its headers.
    int maxBytes = config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG) + 1024 * 1024;
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxBytes);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxBytes);
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.avro = "avro".equals(config.getString(AppConfig.INPUT_FORMAT_CONFIG));
  }

  /** The consumer is not thread-safe; page requests come from several HTTP threads. */
  @Override
  public synchronized Optional<byte[]> imageAt(String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    try {
      long begin = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
      long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
      if (offset < begin || offset >= end) {
        return Optional.empty();
      }
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
          return r.offset() == offset
              ? image(r)
              : Optional.empty(); // compacted or aborted: a later one
        }
        if (consumer.position(tp, TIMEOUT) >= end) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    } finally {
      consumer.assign(List.of());
    }
  }

  private Optional<byte[]> image(ConsumerRecord<byte[], byte[]> r) {
    if (!avro) {
      return Optional.ofNullable(r.value());
    }
    ImageEvent e = events.decode(r.topic(), r.value());
    return e != null && e.getImage() instanceof ByteBuffer b
        ? Optional.of(DashboardState.bytes(b))
        : Optional.empty();
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
