package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.dlq.NotTheRecordsFault;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.metrics.AuditMetrics;

/** The one audit of an event: each outcome the stream and replay rely on. */
class EventAuditorTest {
  private static SaliencyEngine engine;

  @BeforeAll
  static void open() {
    engine = StreamTestSupport.engine();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static EventAuditor.Pending pending(String id, Optional<String> label, byte[] image) {
    InputEvent e = new InputEvent(id, 1000, "images", 0, 7, label, image);
    return new EventAuditor.Pending(
        e, id.getBytes(StandardCharsets.UTF_8), image, Optional.empty(), System.nanoTime());
  }

  @Test
  void aBatchGivesOneOutcomePerEventInOrderAndABadImageSinksOnlyItself() {
    EventAuditor auditor =
        new EventAuditor(
            StreamTestSupport.auditor(engine, 1),
            new AuditMetrics(new SimpleMeterRegistry()),
            true);
    byte[] corrupt = "not an image".getBytes(StandardCharsets.UTF_8);
    List<Outcome> outcomes =
        auditor.audit(
            List.of(
                pending("a", Optional.empty(), StreamTestSupport.png(1)),
                pending("b", Optional.empty(), corrupt),
                pending("c", Optional.empty(), StreamTestSupport.png(2))));

    assertThat(outcomes).extracting(Outcome::eventId).containsExactly("a", "b", "c");
    assertThat(outcomes.get(0))
        .isInstanceOfSatisfying(
            Outcome.NeedsLabel.class,
            n -> assertThat(n.pending().getAudit()).isEqualTo(n.record()));
    assertThat(outcomes.get(1))
        .isInstanceOfSatisfying(
            Outcome.DeadLetter.class,
            d -> {
              assertThat(d.reason()).isEqualTo(DlqReason.UNSUPPORTED_FORMAT);
              assertThat(d.originalValue()).isEqualTo(corrupt);
            });
    assertThat(outcomes.get(2)).isInstanceOf(Outcome.NeedsLabel.class);
  }

  @Test
  void aLabelDecidesBetweenAuditedAndMispredicted() {
    EventAuditor offline = EventAuditor.offline(StreamTestSupport.auditor(engine, 1));
    byte[] image = StreamTestSupport.png(3);
    Outcome.Recorded unlabelled =
        (Outcome.Recorded) offline.audit(pending("x", Optional.empty(), image));
    assertThat(unlabelled).isInstanceOf(Outcome.Audited.class);
    int top = unlabelled.record().getPredictions().get(0).getClassIndex();
    String right = unlabelled.record().getPredictions().get(0).getLabel();

    assertThat(offline.audit(pending("x", Optional.of(right), image)))
        .isInstanceOfSatisfying(
            Outcome.Audited.class, a -> assertThat(a.record().getCorrect()).isTrue());
    String wrong = String.valueOf(top == 0 ? 1 : 0);
    assertThat(offline.audit(pending("x", Optional.of(wrong), image)))
        .isInstanceOfSatisfying(
            Outcome.Mispredicted.class,
            m -> {
              assertThat(m.record().getCorrect()).isFalse();
              assertThat(m.misprediction().getTrueClassIndex()).isEqualTo(top == 0 ? 1 : 0);
            });
  }

  /**
   * A real ONNX Runtime failure on one image (the fixture's Gather refuses the index an all-white
   * image gives) while the model still runs its blank probe: that event, and only that one, is a
   * {@code model_error}, alone and inside a batch (where G on the whole batch fails first).
   */
  @Test
  void aModelErrorOnOneImageDeadLettersThatImageOnly() {
    try (SaliencyEngine faulty = StreamTestSupport.faultyEngine()) {
      EventAuditor auditor =
          EventAuditor.offline(StreamTestSupport.auditor(StreamTestSupport.FAULTY, faulty, 1));
      byte[] white = StreamTestSupport.white();
      Outcome alone = auditor.audit(pending("w", Optional.empty(), white));
      List<Outcome> batch =
          auditor.audit(
              List.of(
                  pending("a", Optional.empty(), StreamTestSupport.png(1)),
                  pending("w", Optional.empty(), white),
                  pending("c", Optional.empty(), StreamTestSupport.png(2))));

      for (Outcome o : List.of(alone, batch.get(1))) {
        assertThat(o)
            .isInstanceOfSatisfying(
                Outcome.DeadLetter.class,
                d -> {
                  assertThat(d.reason()).isEqualTo(DlqReason.MODEL_ERROR);
                  assertThat(d.error()).hasMessageContaining("indices element out of data bounds");
                  assertThat(d.originalValue()).isEqualTo(white);
                });
      }
      assertThat(batch.get(0)).isInstanceOf(Outcome.Audited.class);
      assertThat(batch.get(2)).isInstanceOf(Outcome.Audited.class);
    }
  }

  /**
   * Where the model fails on the blank probe too, no event is to blame: nothing is dead-lettered,
   * the audit throws. A closed engine fails every run, as a model that no longer runs does.
   */
  @Test
  void aModelThatNoLongerRunsThrowsInsteadOfDeadLettering() {
    SaliencyEngine closing = StreamTestSupport.engine();
    Auditor auditor = StreamTestSupport.auditor(closing, 1);
    EventAuditor events = EventAuditor.offline(auditor);
    assertThat(auditor.probe()).as("the probe runs on an open engine").isEmpty();
    closing.close();
    assertThat(auditor.probe()).as("and fails on a closed one").isPresent();

    assertThatThrownBy(() -> events.audit(pending("x", Optional.empty(), StreamTestSupport.png(1))))
        .isInstanceOf(ModelFailedException.class)
        .hasMessageContaining("event x")
        .hasMessageContaining("is closed")
        .isInstanceOf(NotTheRecordsFault.class);
    assertThatThrownBy(
            () ->
                events.audit(
                    List.of(
                        pending(
                            "y", Optional.empty(), "not an image".getBytes(StandardCharsets.UTF_8)),
                        pending("z", Optional.empty(), StreamTestSupport.png(2)))))
        .as("a batch gives no outcome at all, not even for the event that did not reach the model")
        .isInstanceOf(ModelFailedException.class)
        .hasMessageContaining("event z");
  }
}
