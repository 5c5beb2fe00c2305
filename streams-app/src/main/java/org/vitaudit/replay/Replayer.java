package org.vitaudit.replay;

import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.schemas.AuditRecord;

/**
 * Runs a {@link ReplayPlan}: every selected input record is audited again and yields exactly one
 * record, on the output topic or its dead-letter topic.
 */
public final class Replayer {
  private final TopicReader reader;
  private final StoredEventAuditor auditor;
  private final ReplayOutput output;

  public Replayer(TopicReader reader, StoredEventAuditor auditor, ReplayOutput output) {
    this.reader = reader;
    this.auditor = auditor;
    this.output = output;
  }

  public ReplayReport run(ReplayPlan plan, Progress progress) {
    LongConsumer bar = progress.begin("replaying", plan.total());
    ReplayReport report;
    if (plan instanceof ReplayPlan.Scan scan) {
      report = new ReplayReport(output.topic(), scan.wantedIds());
      reader.scan(scan.ranges(), r -> {
        if (scan.selects().test(r)) {
          replay(r, Optional.empty(), report);
        }
      }, bar);
    } else {
      ReplayPlan.Pick pick = (ReplayPlan.Pick) plan;
      report = new ReplayReport(output.topic(), Set.of());
      long[] done = {0};
      bar.accept(0);
      pick.offsets().forEach((tp, offsets) -> reader.fetch(tp, offsets, f -> {
        if (f.record().isPresent()) {
          replay(f.record().get(), Optional.ofNullable(pick.previous().get(f.position())), report);
        } else {
          report.gone(f.position(), f.whyMissing());
        }
        bar.accept(++done[0]);
      }));
    }
    output.finish();
    return report;
  }

  private void replay(ConsumerRecord<byte[], byte[]> r, Optional<AuditRecord> before, ReplayReport report) {
    StoredEventAuditor.Outcome outcome = auditor.audit(r, before.map(AuditRecord::getKnownLabel));
    output.write(r, outcome);
    output.commitIfDue();
    report.add(outcome, before);
  }
}
