package org.vitaudit.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DlqProcessingExceptionHandlerTest {

  /** The context Streams passes for a record (topic set) or a punctuator (topic null). */
  private record Context(String topic, byte[] sourceRawValue) implements ErrorHandlerContext {
    @Override
    public int partition() {
      return topic == null ? -1 : 2;
    }

    @Override
    public long offset() {
      return topic == null ? -1 : 41;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders().add("event-id", "e1".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String processorNodeId() {
      return "classify";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 2);
    }

    @Override
    public long timestamp() {
      return 1_700_000_000_000L;
    }

    @Override
    public byte[] sourceRawKey() {
      return topic == null ? null : "k".getBytes(StandardCharsets.UTF_8);
    }
  }

  static final class Wrapped extends RuntimeException implements HasDlqReason {
    Wrapped() {
      super("inner");
    }

    @Override
    public DlqReason dlqReason() {
      return DlqReason.IMAGE_TOO_LARGE;
    }
  }

  private static DlqProcessingExceptionHandler configured() {
    DlqProcessingExceptionHandler h = new DlqProcessingExceptionHandler();
    h.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "audit.dlq"));
    return h;
  }

  @Test
  void aFailedRecordResumesWithOneDlqRecordWhoseReasonComesFromTheCauseChain() {
    var response =
        configured()
            .handleError(
                new Context("images", new byte[] {1, 2, 3}),
                null,
                new IllegalStateException("outer", new Wrapped()));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo("audit.dlq");
              assertThat(r.partition()).as("partitioned by key like any record").isNull();
              assertThat(r.value()).containsExactly(1, 2, 3);
              assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L);
              assertThat(header(r, DlqHeaders.REASON)).isEqualTo("image_too_large");
              assertThat(header(r, DlqHeaders.EXCEPTION))
                  .isEqualTo(IllegalStateException.class.getName());
              assertThat(header(r, DlqHeaders.OFFSET)).isEqualTo("41");
              assertThat(header(r, "event-id")).isEqualTo("e1");
            });
  }

  @Test
  void anExceptionFromAPunctuatorFailsTheTaskInsteadOfDroppingABatch() {
    var response =
        configured()
            .handleError(new Context(null, null), null, new IllegalStateException("flush failed"));
    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  /** The model no longer runs: the record is not to blame, so it is not dead-lettered. */
  static final class ModelGone extends RuntimeException implements NotTheRecordsFault {
    ModelGone() {
      super("the model no longer runs");
    }
  }

  @Test
  void aFailureThatIsNotTheRecordsFailsTheTaskAndDeadLettersNothing() {
    var response =
        configured()
            .handleError(
                new Context("images", new byte[] {1, 2, 3}),
                null,
                new IllegalStateException("outer", new ModelGone()));
    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void configurationMistakesAreReportedAtStart() {
    assertThatThrownBy(() -> new DlqProcessingExceptionHandler().configure(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("errors.dead.letter.queue.topic.name");
    assertThatThrownBy(
            () ->
                new DlqDeserializationExceptionHandler()
                    .configure(
                        Map.of(
                            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq",
                            DlqHandlers.METRICS_CONFIG, "not-metrics")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(DlqHandlers.METRICS_CONFIG);
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
