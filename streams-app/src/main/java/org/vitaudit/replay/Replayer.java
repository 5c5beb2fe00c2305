package org.vitaudit.replay;

import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.EventAuditor;
import org.vitaudit.stream.EventReader;
import org.vitaudit.stream.InputEvent;
import org.vitaudit.stream.Outcome;

/**
 * Runs a {@link ReplayPlan}: every selected input record is audited again and yields exactly one
 * record, on the output topic or its dead-letter topic.
 */
public final class Replayer {
  private final TopicReader reader;
  private final EventReader<?> events;
  private final EventAuditor auditor;
  private final ReplayOutput output;

  /**
   * @param events reads the stored records as the stream read them (the configured input format)
   */
  public Replayer(
      TopicReader reader, EventReader<?> events, EventAuditor auditor, ReplayOutput output) {
    this.reader = reader;
    this.events = events;
    this.auditor = auditor;
    this.output = output;
  }

  public ReplayReport run(ReplayPlan plan, Progress progress) {
    LongConsumer bar = progress.begin("replaying", plan.total());
    ReplayReport report;
    if (plan instanceof ReplayPlan.Scan scan) {
      report = new ReplayReport(output.topic(), scan.wantedIds());
      reader.scan(
          scan.ranges(),
          r -> {
            if (scan.selects().test(r)) {
              replay(r, Optional.empty(), report);
            }
          },
          bar);
    } else {
      ReplayPlan.Pick pick = (ReplayPlan.Pick) plan;
      report = new ReplayReport(output.topic(), Set.of());
      long[] done = {0};
      bar.accept(0);
      pick.offsets()
          .forEach(
              (tp, offsets) ->
                  reader.fetch(
                      tp,
                      offsets,
                      f -> {
                        if (f.record().isPresent()) {
                          replay(
                              f.record().get(),
                              Optional.ofNullable(pick.previous().get(f.position())),
                              report);
                        } else {
                          report.gone(f.position(), f.whyMissing());
                        }
                        bar.accept(++done[0]);
                      }));
    }
    output.finish();
    return report;
  }

  private void replay(
      ConsumerRecord<byte[], byte[]> r, Optional<AuditRecord> before, ReplayReport report) {
    Outcome outcome = audit(r, before.map(AuditRecord::getKnownLabel));
    output.write(r, outcome);
    output.commitIfDue();
    report.add(outcome, before);
  }

  /**
   * The stream's audit of a stored record.
   *
   * @param knownLabel the event's label where it did not come with the image (a label joined later,
   *     taken from its misprediction record), so the new record is judged against it too
   */
  private Outcome audit(ConsumerRecord<byte[], byte[]> r, Optional<String> knownLabel) {
    long start = System.nanoTime();
    InputEvent event;
    try {
      InputEvent stored = events.readStored(r);
      event =
          stored.label().isPresent() || knownLabel.isEmpty()
              ? stored
              : new InputEvent(
                  stored.eventId(),
                  stored.eventTime(),
                  stored.topic(),
                  stored.partition(),
                  stored.offset(),
                  knownLabel,
                  stored.image());
    } catch (RuntimeException unreadable) {
      return Outcome.DeadLetter.of(events.storedEventId(r), unreadable, r.value());
    }
    return auditor.audit(
        new EventAuditor.Pending(event, r.key(), r.value(), Optional.empty(), start));
  }
}
