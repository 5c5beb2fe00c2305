package org.vitaudit.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.vitaudit.scenes.PlacedObject;
import org.vitaudit.scenes.Scene;
import org.vitaudit.scenes.SceneGenerator;
import org.vitaudit.scenes.SceneSpec;

/**
 * The demo's input: generated scenes as PNG events with their label, plus corrupt events that must
 * end in the dead-letter topic, produced the way kcat would (raw bytes, headers).
 */
public final class DemoEvents {
  /**
   * One produced event: its id, the scene it shows (empty for a corrupt one), and the label it is
   * sent with (its object's class, or none).
   */
  public record Sent(String eventId, Optional<Scene> scene, byte[] bytes, Optional<String> label) {
    Sent(String eventId, Optional<Scene> scene, byte[] bytes) {
      this(eventId, scene, bytes, scene.map(s -> s.objects().get(0).className()));
    }

    public Optional<PlacedObject> object() {
      return scene.map(s -> s.objects().get(0));
    }

    /** The same event sent with another label: a labelling mistake, which audits as wrong. */
    public Sent withLabel(String other) {
      return new Sent(eventId, scene, bytes, Optional.of(other));
    }
  }

  private DemoEvents() {}

  /**
   * @param count scenes to send; corrupt events come on top, one per {@code corruptEvery} scenes
   *     (at least one)
   */
  public static List<Sent> make(String runId, int count, long seed, int corruptEvery) {
    SceneGenerator generator = new SceneGenerator(SceneSpec.defaults());
    List<Sent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Scene scene = generator.generate(seed, i);
      events.add(
          new Sent(String.format("%s-%04d", runId, events.size()), Optional.of(scene), png(scene)));
      if ((i + 1) % corruptEvery == 0 || (i == count - 1 && events.size() == count)) {
        // Alternately a PNG cut short and bytes that are no image at all.
        byte[] bad =
            events.size() % 2 == 0
                ? Arrays.copyOf(events.get(events.size() - 1).bytes(), 100)
                : "this is not an image".getBytes(StandardCharsets.UTF_8);
        events.add(new Sent(String.format("%s-%04d", runId, events.size()), Optional.empty(), bad));
      }
    }
    return events;
  }

  public static void produce(
      Map<String, Object> clientProperties, String topic, List<Sent> events) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Sent e : events) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(topic, e.eventId().getBytes(StandardCharsets.UTF_8), e.bytes());
        r.headers().add("event-id", e.eventId().getBytes(StandardCharsets.UTF_8));
        r.headers().add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
        r.headers().add("source", "demo".getBytes(StandardCharsets.UTF_8));
        e.label().ifPresent(l -> r.headers().add("label", l.getBytes(StandardCharsets.UTF_8)));
        producer.send(r);
      }
      producer.flush();
    }
  }

  /** The scene's picture as PNG bytes, as the demo sends it. */
  public static byte[] png(Scene scene) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(scene.image(), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
