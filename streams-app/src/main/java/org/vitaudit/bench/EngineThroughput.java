package org.vitaudit.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitaudit.app.DemoEvents;
import org.vitaudit.metrics.AuditMetrics;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.Auditor;
import org.vitaudit.stream.EventAuditor;
import org.vitaudit.stream.InputEvent;
import org.vitaudit.stream.Outcome;

/**
 * The stream's work without Kafka: the same events through the same {@link EventAuditor} path the
 * audit processor takes (decode each event as it comes, explain a micro-batch, build the records),
 * in micro-batches of the same size. What the stream's rate is held against.
 */
final class EngineThroughput {
  private final EventAuditor auditor;

  /**
   * @param joinLabels as the stream runs it (events without a label then also get every map)
   */
  EngineThroughput(Auditor auditor, boolean joinLabels) {
    this.auditor =
        new EventAuditor(auditor, new AuditMetrics(new SimpleMeterRegistry()), joinLabels);
  }

  /**
   * Audits {@code events} in micro-batches of {@code batchSize} and takes the rate as the stream's
   * is taken: between the first and the last audit record's processing time.
   *
   * @throws IllegalStateException where an event gets no audit record (the events are meant to be
   *     good images)
   */
  StreamThroughputBench.Result run(List<DemoEvents.Sent> events, int batchSize) {
    List<AuditRecord> records = new ArrayList<>(events.size());
    List<EventAuditor.Pending> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < events.size(); i++) {
      DemoEvents.Sent e = events.get(i);
      long arrived = System.nanoTime();
      InputEvent event =
          new InputEvent(
              e.eventId(), System.currentTimeMillis(), "engine", 0, i, e.label(), e.bytes());
      byte[] key = e.eventId().getBytes(StandardCharsets.UTF_8);
      batch.add(
          new EventAuditor.Pending(event, key, null, Optional.of(auditor.decode(event)), arrived));
      if (batch.size() == batchSize || i == events.size() - 1) {
        for (Outcome o : auditor.audit(batch)) {
          if (!(o instanceof Outcome.Recorded r)) {
            throw new IllegalStateException("event " + o.eventId() + " got no audit record");
          }
          records.add(r.record());
        }
        batch.clear();
      }
    }
    return StreamThroughputBench.Result.of(batchSize, records);
  }
}
