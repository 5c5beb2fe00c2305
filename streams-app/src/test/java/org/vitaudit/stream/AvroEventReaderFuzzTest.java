package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroDecodingException;

/**
 * The Avro input path fuzzed with Jazzer: the input topic's deserializer, then the reader. Whatever
 * the bytes, the only failure is an {@link AvroDecodingException} (dead-lettered as {@code
 * unreadable_avro}); a record that decodes reads into an event whose image is no larger than the
 * message, and what it gives back for a dead letter decodes to the same record; each input takes
 * bounded time. URIs are not fetched (the fetcher has its own tests). Without {@code JAZZER_FUZZ=1}
 * it runs the seed corpus in {@code AvroEventReaderFuzzTestInputs/} as a regression test:
 * docs/reliability.md#bad-input.
 */
class AvroEventReaderFuzzTest {
  private static final AvroEventReader READER =
      new AvroEventReader(new UriFetcher(Duration.ofMillis(1), List.of(), 1));
  private static final EventReader.Coordinates WHERE = new EventReader.Coordinates("images", 0, 42);
  private static final long MAX_MILLIS = 5_000;

  @FuzzTest(maxDuration = "10m")
  void readEvent(byte[] bytes) {
    long start = System.nanoTime();
    try {
      ImageEvent e =
          READER.serde().deserializer().deserialize("images", new RecordHeaders(), bytes);
      Record<byte[], ImageEvent> r = new Record<>(null, e, 0L);
      assertThat(READER.eventId(r, WHERE)).isNotBlank();
      if (e.getImage() instanceof ByteBuffer) {
        InputEvent event = READER.read(r, WHERE);
        assertThat(event.image().length).isLessThanOrEqualTo(bytes.length);
      }
      byte[] again = READER.originalValue(e);
      assertThat(READER.serde().deserializer().deserialize("images", again)).isEqualTo(e);
    } catch (AvroDecodingException unreadable) {
      assertThat(unreadable.getMessage()).isNotBlank();
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
  }
}
