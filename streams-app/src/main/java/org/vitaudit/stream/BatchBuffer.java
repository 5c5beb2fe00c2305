package org.vitaudit.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.vitaudit.schemas.BufferedEvent;
import org.vitaudit.schemas.BufferedHeader;

/**
 * The micro-batch waiting to run: events in a changelogged store keyed by input offset (so they
 * survive a crash and commit atomically with the offsets that consumed them), with their decoded
 * images cached in memory while this instance lives. An event stays in the store from the time it
 * comes until its outcome is forwarded, through the batch that audits it.
 */
final class BatchBuffer {
  /** One buffered event: what its records need, and its decoded image where still cached. */
  record Entry(
      long offset, BufferedEvent stored, Optional<Auditor.Prepared> image, long arrivedNanos) {
    /** The event for the auditor, with its key and its value as on the topic. */
    EventAuditor.Pending pending() {
      return new EventAuditor.Pending(
          event(stored),
          stored.getKey() == null ? null : bytes(stored.getKey()),
          originalValue(stored),
          image,
          arrivedNanos);
    }
  }

  private final KeyValueStore<Long, BufferedEvent> store;
  private final Map<Long, Cached> cache = new HashMap<>();
  private final Set<Long> taken = new HashSet<>();
  private int size;
  private long oldestWallMillis = -1;
  private long busyNanos;
  private boolean restored;

  private record Cached(Auditor.Prepared image, long arrivedNanos) {}

  BatchBuffer(KeyValueStore<Long, BufferedEvent> store) {
    this.store = store;
    try (KeyValueIterator<Long, BufferedEvent> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        size++;
      }
    }
    // Events restored from the changelog have waited for an unknown time: due at once.
    restored = size > 0;
  }

  /** Events waiting for a batch (not those handed over by {@link #take()}). */
  int size() {
    return size;
  }

  void add(
      InputEvent event,
      byte[] key,
      byte[] originalValue,
      Headers headers,
      long timestamp,
      Auditor.Prepared image,
      long arrivedNanos,
      long nowWallMillis) {
    store.put(event.offset(), stored(event, key, originalValue, headers, timestamp));
    cache.put(event.offset(), new Cached(image, arrivedNanos));
    size++;
    if (oldestWallMillis < 0 && !restored) {
      oldestWallMillis = nowWallMillis;
    }
  }

  /**
   * Time since the oldest waiting event came that the processor spent working (on these events, or
   * forwarding an earlier batch), not waiting for more: it does not count towards the wait. Nothing
   * is counted while no event waits.
   */
  void busy(long nanos) {
    if (size > 0) {
      busyNanos += Math.max(0, nanos);
    }
  }

  /**
   * True when the oldest event has waited {@code maxWaitMillis} or longer, the time {@link #busy}
   * reported left out.
   */
  boolean due(long nowWallMillis, long maxWaitMillis) {
    return size > 0
        && (restored
            || (nowWallMillis - oldestWallMillis) * 1_000_000 - busyNanos
                >= maxWaitMillis * 1_000_000);
  }

  /**
   * Every event waiting for a batch, in offset order, handed over to be audited: they no longer
   * count as waiting, but stay in the store until {@link #remove} takes them out once their
   * outcomes are forwarded, so a batch that fails (the model no longer runs), or that a crash or a
   * rebalance interrupts, stays in the store under any processing guarantee.
   */
  List<Entry> take() {
    List<Entry> out = new ArrayList<>(size);
    try (KeyValueIterator<Long, BufferedEvent> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, BufferedEvent> kv = it.next();
        if (!taken.add(kv.key)) {
          continue; // in a batch already
        }
        Cached c = cache.get(kv.key);
        out.add(
            new Entry(
                kv.key,
                kv.value,
                Optional.ofNullable(c).map(Cached::image),
                c == null ? System.nanoTime() : c.arrivedNanos()));
      }
    }
    cache.clear();
    size = 0;
    oldestWallMillis = -1;
    busyNanos = 0;
    restored = false;
    return out;
  }

  /** Takes these events (a batch {@link #take()} gave) out of the store. */
  void remove(List<Entry> entries) {
    for (Entry e : entries) {
      store.delete(e.offset());
      taken.remove(e.offset());
    }
  }

  static InputEvent event(BufferedEvent b) {
    return new InputEvent(
        b.getEventId(),
        b.getEventTime(),
        b.getTopic(),
        b.getPartition(),
        b.getOffset(),
        Optional.ofNullable(b.getLabel()),
        bytes(b.getImage()));
  }

  /** The input's value as it was on the topic: the image itself for raw input. */
  static byte[] originalValue(BufferedEvent b) {
    return b.getValue() != null ? bytes(b.getValue()) : bytes(b.getImage());
  }

  static Headers headers(BufferedEvent b) {
    RecordHeaders h = new RecordHeaders();
    for (BufferedHeader bh : b.getHeaders()) {
      h.add(bh.getKey(), bh.getValue() == null ? null : bytes(bh.getValue()));
    }
    return h;
  }

  private static BufferedEvent stored(
      InputEvent e, byte[] key, byte[] originalValue, Headers headers, long timestamp) {
    List<BufferedHeader> hs = new ArrayList<>();
    if (headers != null) {
      for (Header h : headers) {
        hs.add(new BufferedHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
      }
    }
    boolean valueIsImage = Arrays.equals(originalValue, e.image());
    return BufferedEvent.newBuilder()
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(valueIsImage || originalValue == null ? null : ByteBuffer.wrap(originalValue))
        .setHeaders(hs)
        .setTimestamp(timestamp)
        .setTopic(e.topic())
        .setPartition(e.partition())
        .setOffset(e.offset())
        .setEventId(e.eventId())
        .setEventTime(e.eventTime())
        .setLabel(e.label().orElse(null))
        .setImage(ByteBuffer.wrap(e.image()))
        .build();
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
