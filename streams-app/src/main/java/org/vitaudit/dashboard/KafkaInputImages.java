package org.vitaudit.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.config.AppConfig;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.EventReaders;

/**
 * Reads one input record by partition and offset when the page asks for its image, and takes the
 * image out of it exactly as the stream does: the configured {@code input.format}'s {@link
 * EventReader}, so an Avro event that names a URI is fetched under the same rules (schemes, allowed
 * folders, timeout, size limit). The read is {@link TopicReader}'s: no group, nothing committed.
 */
public final class KafkaInputImages implements InputImages, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaInputImages.class);

  /** A page waits for its thumbnail: give up on a broker that does not answer. */
  private static final Duration STALL = Duration.ofSeconds(10);

  private final TopicReader reader;
  private final EventReader<?> events;

  public KafkaInputImages(AppConfig config) {
    Map<String, Object> p = new HashMap<>(config.clientProperties());
    // One record of the largest image the stream accepts, plus its headers.
    int maxBytes = config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG) + 1024 * 1024;
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxBytes);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxBytes);
    this.reader = new TopicReader(p, 1, STALL, "vit-audit-dashboard-images-");
    this.events = EventReaders.configured(config);
  }

  /** The reader's consumer is not thread-safe; page requests come from several HTTP threads. */
  @Override
  public synchronized Optional<byte[]> imageAt(String topic, int partition, long offset) {
    try {
      return Optional.of(
          events.readStored(reader.fetch(new StoredPosition(topic, partition, offset))).image());
    } catch (RuntimeException gone) {
      // Deleted by retention, a URI that cannot be fetched, a broker away: no thumbnail.
      LOG.debug("no image for {}-{}@{}: {}", topic, partition, offset, gone.toString());
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
