package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitaudit.dlq.DlqReason;
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
}
