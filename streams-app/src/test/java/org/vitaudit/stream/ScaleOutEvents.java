package org.vitaudit.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.config.InputFormat;
import org.vitaudit.scenes.ShapeClass;
import org.vitaudit.schemas.ImageEvent;

/**
 * The events of a scale-out run: demo scenes spread over a fixed set of keys (cameras), so each key
 * carries many events whose order the outputs must keep; a third sent with their true label, a
 * third with a wrong one (so they audit as mispredictions), a third without; every {@code
 * corruptEvery}-th event corrupt. Written in either input format.
 */
record ScaleOutEvents(List<Event> events) {

  /** One input: its id, key, position in its key's sequence and what it is sent with. */
  record Event(
      String id,
      String key,
      int sequence,
      byte[] image,
      Optional<String> label,
      boolean wrongLabel,
      boolean corrupt) {}

  static final int KEYS = 48;

  static ScaleOutEvents make(String runId, int count, int corruptEvery) {
    // A pool of distinct scenes reused round-robin: generating 3,000 would only cost time.
    List<DemoEvents.Sent> pool = DemoEvents.make(runId, 64, 11, Integer.MAX_VALUE);
    List<Event> events = new ArrayList<>(count);
    int[] perKey = new int[KEYS];
    for (int i = 0; i < count; i++) {
      String id = String.format("%s-%05d", runId, i);
      int k = i % KEYS;
      String key = "camera-" + k;
      boolean corrupt = i % corruptEvery == corruptEvery - 1;
      DemoEvents.Sent scene = pool.get(i % pool.size());
      if (corrupt || scene.object().isEmpty()) {
        byte[] bad = "not an image at all".getBytes(StandardCharsets.UTF_8);
        events.add(new Event(id, key, perKey[k]++, bad, Optional.empty(), false, true));
        continue;
      }
      ShapeClass truth = scene.object().get().shapeClass();
      Optional<String> label =
          switch (i % 3) {
            case 0 -> Optional.of(truth.label());
            case 1 -> Optional.of(ShapeClass.values()[(truth.ordinal() + 1) % 8].label());
            default -> Optional.empty();
          };
      events.add(new Event(id, key, perKey[k]++, scene.bytes(), label, i % 3 == 1, false));
    }
    return new ScaleOutEvents(events);
  }

  /** The record as a producer of this input format writes it. */
  static ProducerRecord<byte[], byte[]> record(String topic, Event e, InputFormat format) {
    byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> r =
        switch (format) {
          case RAW -> {
            ProducerRecord<byte[], byte[]> raw = new ProducerRecord<>(topic, key, e.image());
            raw.headers().add("event-id", e.id().getBytes(StandardCharsets.UTF_8));
            e.label()
                .ifPresent(l -> raw.headers().add("label", l.getBytes(StandardCharsets.UTF_8)));
            yield raw;
          }
          case AVRO -> new ProducerRecord<>(topic, key, avro(e));
        };
    return r;
  }

  private static byte[] avro(Event e) {
    ImageEvent event =
        ImageEvent.newBuilder()
            .setEventId(e.id())
            .setEventTime(Instant.now())
            .setSource(e.key())
            .setContentType(null)
            .setImage(ByteBuffer.wrap(e.image()))
            .setLabel(e.label().orElse(null))
            .setMetadata(Map.of())
            .build();
    try {
      ByteBuffer b = event.toByteBuffer();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
