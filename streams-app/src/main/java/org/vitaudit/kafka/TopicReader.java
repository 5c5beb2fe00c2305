package org.vitaudit.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads stored records of any topic without a consumer group: partitions are assigned and sought
 * explicitly and the consumer has no {@code group.id}, so it cannot commit, and neither the live
 * application's group nor any other is joined or moved. Only committed transactions are read
 * ({@code read_committed}: the audit topic is written under exactly-once), and every bounded read
 * stops at end offsets taken when it starts, so it terminates while producers keep writing.
 */
public final class TopicReader implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration stallTimeout;

  /** One record asked for by position, or why it is not there. */
  public record Fetched(
      StoredPosition position, Optional<ConsumerRecord<byte[], byte[]>> record, String whyMissing) {
    static Fetched found(StoredPosition at, ConsumerRecord<byte[], byte[]> r) {
      return new Fetched(at, Optional.of(r), null);
    }

    static Fetched missing(StoredPosition at, String why) {
      return new Fetched(at, Optional.empty(), why);
    }
  }

  /**
   * @param clientProperties bootstrap servers and security settings ({@code
   *     AppConfig.clientProperties()})
   * @param maxPollRecords records per poll: images are large, keep it small
   * @param stallTimeout a bounded read that makes no progress this long fails
   */
  public TopicReader(
      Map<String, Object> clientProperties, int maxPollRecords, Duration stallTimeout) {
    this(clientProperties, maxPollRecords, stallTimeout, "vit-audit-reader-");
  }

  /**
   * @param clientIdPrefix the client id before its random suffix: which tool reads
   */
  public TopicReader(
      Map<String, Object> clientProperties,
      int maxPollRecords,
      Duration stallTimeout,
      String clientIdPrefix) {
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties(clientProperties, maxPollRecords, clientIdPrefix),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.stallTimeout = stallTimeout;
  }

  public TopicReader(Map<String, Object> clientProperties, int maxPollRecords) {
    this(clientProperties, maxPollRecords, Duration.ofSeconds(60));
  }

  static Map<String, Object> consumerProperties(
      Map<String, Object> clientProperties, int maxPollRecords) {
    return consumerProperties(clientProperties, maxPollRecords, "vit-audit-reader-");
  }

  /**
   * The settings of a read-only consumer, this reader's and any other that follows topics without
   * touching a group (the dashboard's): no group (so nothing can be committed), read_committed, no
   * topic creation, and an offset out of range (deleted by retention) read from the oldest stored.
   *
   * @param clientIdPrefix names the tool in the broker's logs and quotas; a random suffix is added
   */
  public static Map<String, Object> consumerProperties(
      Map<String, Object> clientProperties, int maxPollRecords, String clientIdPrefix) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    p.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        clientIdPrefix + UUID.randomUUID().toString().substring(0, 8));
    return p;
  }

  /** The topic's partitions in partition order. */
  public List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("topic " + topic + " does not exist");
    }
    return infos.stream()
        .map(i -> new TopicPartition(i.topic(), i.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  public Map<TopicPartition, Long> beginnings(Collection<TopicPartition> partitions) {
    return consumer.beginningOffsets(assigned(partitions), METADATA_TIMEOUT);
  }

  /** The end offsets now: for read_committed, the last stable offsets. */
  public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
    return consumer.endOffsets(assigned(partitions), METADATA_TIMEOUT);
  }

  /**
   * Assigns the partitions an offset query is about (nothing is fetched until a poll): the consumer
   * keeps its answers for assigned partitions and logs a warning for every other one.
   */
  private Collection<TopicPartition> assigned(Collection<TopicPartition> partitions) {
    if (!consumer.assignment().containsAll(partitions)) {
      consumer.assign(partitions);
    }
    return partitions;
  }

  /**
   * Per partition, the first offset whose record timestamp is at or after {@code time}, or the
   * partition's end in {@code ends} where there is none.
   */
  public Map<TopicPartition, Long> firstAtOrAfter(Instant time, Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> query = new HashMap<>();
    ends.keySet().forEach(tp -> query.put(tp, time.toEpochMilli()));
    assigned(query.keySet());
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(query, METADATA_TIMEOUT);
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    ends.forEach(
        (tp, end) -> {
          OffsetAndTimestamp at = found.get(tp);
          out.put(tp, at == null ? end : Math.min(at.offset(), end));
        });
    return out;
  }

  /**
   * Everything the topic holds now, [beginning, end) per partition: a snapshot for a bounded scan.
   */
  public Map<TopicPartition, OffsetRange> stored(String topic) {
    List<TopicPartition> tps = partitions(topic);
    Map<TopicPartition, Long> begin = beginnings(tps);
    Map<TopicPartition, Long> end = ends(tps);
    Map<TopicPartition, OffsetRange> out = new LinkedHashMap<>();
    for (TopicPartition tp : tps) {
      out.put(tp, new OffsetRange(Math.min(begin.get(tp), end.get(tp)), end.get(tp)));
    }
    return out;
  }

  /**
   * Reads every record in the ranges and hands it to {@code sink}; stops at the end of each range.
   *
   * @param progress told how many offsets of the ranges have been passed
   */
  public void scan(
      Map<TopicPartition, OffsetRange> ranges,
      Consumer<ConsumerRecord<byte[], byte[]>> sink,
      LongConsumer progress) {
    Map<TopicPartition, OffsetRange> active = new HashMap<>();
    ranges.forEach(
        (tp, r) -> {
          if (r.size() > 0) {
            active.put(tp, r);
          }
        });
    Map<TopicPartition, Long> reached = new HashMap<>();
    ranges.forEach((tp, r) -> reached.put(tp, r.size() > 0 ? r.from() : r.to()));
    consumer.assign(active.keySet());
    active.forEach((tp, r) -> consumer.seek(tp, r.from()));
    Stall stall = new Stall();
    progress.accept(0);
    try {
      while (!active.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          OffsetRange range = active.get(new TopicPartition(r.topic(), r.partition()));
          if (range != null && range.contains(r.offset())) {
            sink.accept(r);
          }
        }
        List<TopicPartition> finished = new ArrayList<>();
        active.forEach(
            (tp, r) -> {
              long position = Math.min(consumer.position(tp, METADATA_TIMEOUT), r.to());
              reached.put(tp, position);
              if (position >= r.to()) {
                finished.add(tp);
              }
            });
        long done = 0;
        for (var e : ranges.entrySet()) {
          done += Math.max(0, reached.get(e.getKey()) - e.getValue().from());
        }
        progress.accept(done);
        consumer.pause(finished);
        finished.forEach(active::remove);
        stall.check(done, active.keySet(), reached);
      }
    } finally {
      consumer.assign(List.of());
    }
  }

  /**
   * The records at {@code offsets} of one partition, in offset order: each found, or why not
   * (deleted by retention, compacted away, beyond the end).
   */
  public void fetch(TopicPartition tp, SortedSet<Long> offsets, Consumer<Fetched> sink) {
    consumer.assign(List.of(tp));
    Deque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
    try {
      long begin = beginnings(List.of(tp)).get(tp);
      long end = ends(List.of(tp)).get(tp);
      for (long offset : offsets) {
        StoredPosition at = new StoredPosition(tp.topic(), tp.partition(), offset);
        if (offset < begin) {
          sink.accept(
              Fetched.missing(
                  at,
                  "deleted by retention (or delete-records): the partition now starts at"
                      + " offset "
                      + begin));
          continue;
        }
        if (offset >= end) {
          sink.accept(
              Fetched.missing(at, "beyond the end of the partition (next offset " + end + ")"));
          continue;
        }
        while (!buffered.isEmpty() && buffered.peek().offset() < offset) {
          buffered.poll();
        }
        if (buffered.isEmpty()) {
          consumer.seek(tp, offset);
          buffered.addAll(pollSome(tp, end));
        }
        ConsumerRecord<byte[], byte[]> head = buffered.peek();
        sink.accept(
            head != null && head.offset() == offset
                ? Fetched.found(at, head)
                : Fetched.missing(at, "compacted away, or part of an aborted transaction"));
      }
    } finally {
      consumer.assign(List.of());
    }
  }

  /** The record at {@code at}. */
  public ConsumerRecord<byte[], byte[]> fetch(StoredPosition at) {
    Fetched[] result = new Fetched[1];
    fetch(at.topicPartition(), new TreeSet<>(List.of(at.offset())), f -> result[0] = f);
    return result[0]
        .record()
        .orElseThrow(() -> new MissingRecordException(at, result[0].whyMissing()));
  }

  /** Polls the one assigned partition until it returns records or reaches {@code end}. */
  private List<ConsumerRecord<byte[], byte[]>> pollSome(TopicPartition tp, long end) {
    Stall stall = new Stall();
    while (true) {
      List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(tp);
      if (!records.isEmpty()) {
        return records;
      }
      long position = consumer.position(tp, METADATA_TIMEOUT);
      if (position >= end) {
        return List.of();
      }
      stall.check(position, List.of(tp), Map.of(tp, position));
    }
  }

  /**
   * Follows a topic: every record from the beginning or from now on goes to {@code sink} until it
   * answers false, {@code deadline} passes, or {@link #wakeup()} is called.
   */
  public void follow(
      String topic,
      boolean fromBeginning,
      Predicate<ConsumerRecord<byte[], byte[]>> sink,
      Optional<Instant> deadline) {
    List<TopicPartition> tps = partitions(topic);
    consumer.assign(tps);
    if (fromBeginning) {
      consumer.seekToBeginning(tps);
    } else {
      consumer.seekToEnd(tps);
    }
    try {
      tps.forEach(tp -> consumer.position(tp, METADATA_TIMEOUT)); // fix "now" before the first poll
      while (deadline.isEmpty() || Instant.now().isBefore(deadline.get())) {
        Duration wait =
            deadline
                .map(d -> Duration.between(Instant.now(), d))
                .filter(d -> d.compareTo(POLL) < 0)
                .orElse(POLL);
        for (ConsumerRecord<byte[], byte[]> r :
            consumer.poll(wait.isNegative() ? Duration.ZERO : wait)) {
          if (!sink.test(r)) {
            return;
          }
        }
      }
    } catch (WakeupException e) {
      // asked to stop
    } finally {
      consumer.assign(List.of());
    }
  }

  /** Makes a {@link #follow} in another thread return. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** Fails a bounded read that stops moving (a broker gone, a partition without a leader). */
  private final class Stall {
    private long last = -1;
    private long since = System.nanoTime();

    void check(
        long progress, Collection<TopicPartition> waiting, Map<TopicPartition, Long> reached) {
      if (progress != last) {
        last = progress;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > stallTimeout.toNanos() && !waiting.isEmpty()) {
        TopicPartition tp = waiting.iterator().next();
        throw new IllegalStateException(
            "reading "
                + tp
                + " made no progress at offset "
                + reached.get(tp)
                + " for "
                + stallTimeout.toSeconds()
                + " s; is the broker reachable?");
      }
    }
  }
}
