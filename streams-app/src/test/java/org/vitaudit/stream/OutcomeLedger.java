package org.vitaudit.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.TestBroker;

/**
 * Everything a downstream read_committed consumer sees on the output topics, with the moment it
 * arrived: the record a test judges exactly-once by, and the clock it measures recovery with. It
 * polls on a thread of its own while the test produces and injects faults; the broker may go away
 * and come back meanwhile, which the consumer rides out like any client.
 */
final class OutcomeLedger implements AutoCloseable {

  /** One output record: where it was, its key, event id, value and when the ledger saw it. */
  record Entry(
      String topic,
      int partition,
      long offset,
      String key,
      String eventId,
      byte[] value,
      long seenNanos) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Entry> entries = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final String dlqTopic;
  private final Function<ConsumerRecord<byte[], byte[]>, String> dlqEventId;

  /**
   * @param dlqEventId the event id of a dead-letter record, which carries the input's value and
   *     headers as they were (an Avro event has its id inside the value, not in a header)
   */
  OutcomeLedger(
      TestBroker broker,
      List<String> topics,
      String dlqTopic,
      Function<ConsumerRecord<byte[], byte[]>, String> dlqEventId) {
    this.dlqTopic = dlqTopic;
    this.dlqEventId = dlqEventId;
    consumer = KafkaTestClients.readCommittedConsumer(broker);
    // Assigned, not subscribed: a group would forget its uncommitted position when the broker
    // restarts and read everything again, which would look like duplicates.
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : topics) {
      consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::poll, "outcome-ledger");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          var header = r.headers().lastHeader("event-id");
          String id =
              r.topic().equals(dlqTopic)
                  ? dlqEventId.apply(r)
                  : header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
          Entry e =
              new Entry(
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                  id,
                  r.value(),
                  System.nanoTime());
          synchronized (entries) {
            entries.add(e);
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked
    } finally {
      consumer.close();
    }
  }

  /** A copy of what arrived so far, in arrival order (partition order within each partition). */
  List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
