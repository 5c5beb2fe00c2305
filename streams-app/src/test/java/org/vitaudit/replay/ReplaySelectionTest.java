package org.vitaudit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.kafka.PartitionOffset;

/** How the replay options become a selection. */
class ReplaySelectionTest {

  private static Selection of(
      String from,
      String to,
      List<String> fromOffsets,
      List<String> toOffsets,
      List<String> ids,
      String mispredictedIn) {
    return Selection.of(from, to, fromOffsets, toOffsets, ids, mispredictedIn);
  }

  @Test
  void timesAreIso8601InstantsOffsetTimesOrDates() {
    assertThat(Selection.parseTime("--from", "2026-11-25T10:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(Selection.parseTime("--from", "2026-11-25T11:00:00+01:00"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(Selection.parseTime("--to", "2026-11-25"))
        .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    assertThatThrownBy(() -> Selection.parseTime("--to", "yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--to expects an ISO-8601 time like 2026-11-25T10:00:00Z or a date like 2026-11-25, got"
                + " 'yesterday'");
  }

  @Test
  void aTimeRangeIsHalfOpenAndMayBeOpenOnEitherSide() {
    var range =
        (Selection.TimeRange)
            of(
                "2026-11-25T10:00:00Z",
                "2026-11-25T11:00:00Z",
                List.of(),
                List.of(),
                List.of(),
                null);
    long from = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    long to = Instant.parse("2026-11-25T11:00:00Z").toEpochMilli();
    assertThat(range.contains(from - 1)).isFalse();
    assertThat(range.contains(from)).isTrue();
    assertThat(range.contains(to - 1)).isTrue();
    assertThat(range.contains(to)).isFalse();
    var open =
        (Selection.TimeRange)
            of(null, "2026-11-25T11:00:00Z", List.of(), List.of(), List.of(), null);
    assertThat(open.contains(0)).isTrue();
    assertThatThrownBy(
            () ->
                of(
                    "2026-11-25T11:00:00Z",
                    "2026-11-25T10:00:00Z",
                    List.of(),
                    List.of(),
                    List.of(),
                    null))
        .hasMessage("--from 2026-11-25T11:00:00Z is not before --to 2026-11-25T10:00:00Z");
  }

  @Test
  void offsetsArePartitionColonOffsetListsNamingEachPartitionOnce() {
    var o =
        (Selection.OffsetRanges)
            of(null, null, List.of("0:10,1:5"), List.of("0:20"), List.of(), null);
    assertThat(o.from()).containsExactly(Map.entry(0, 10L), Map.entry(1, 5L));
    assertThat(o.to()).containsExactly(Map.entry(0, 20L));
    assertThat(o.partitions()).containsExactly(0, 1);
    assertThat(o.describe()).isEqualTo("offsets 0:10..20 1:5..end");
    assertThatThrownBy(() -> of(null, null, List.of("0-10"), List.of(), List.of(), null))
        .hasMessage("--from-offsets expects PARTITION:OFFSET like 0:42, got '0-10'");
    assertThatThrownBy(() -> of(null, null, List.of("0:1,0:2"), List.of(), List.of(), null))
        .hasMessage("--from-offsets names partition 0 twice");
    assertThatThrownBy(() -> of(null, null, List.of("0:9"), List.of("0:3"), List.of(), null))
        .hasMessage("partition 0: --from-offsets 9 is after --to-offsets 3");
    assertThatThrownBy(() -> PartitionOffset.parse("--audit", "-1:3"))
        .hasMessage("--audit: partition and offset must be 0 or more, got -1:3");
  }

  @Test
  void eventIdsAreRepeatableOrCommaSeparated() {
    var ids =
        (Selection.EventIds) of(null, null, List.of(), List.of(), List.of("a,b", "c", "a"), null);
    assertThat(ids.ids()).containsExactly("a", "b", "c");
  }

  @Test
  void exactlyOneSelectionIsRequiredAndMispredictionsTakeOnlyATimeRange() {
    assertThatThrownBy(() -> of(null, null, List.of(), List.of(), List.of(), null))
        .hasMessageStartingWith("say which events to replay: --from/--to TIME");
    assertThatThrownBy(() -> of("2026-11-25", null, List.of(), List.of(), List.of("a"), null))
        .hasMessageStartingWith("choose one selection:");
    assertThatThrownBy(() -> of(null, null, List.of(), List.of(), List.of("a"), "audit"))
        .hasMessageStartingWith("--mispredicted-in takes the events its audit records name");
    var m =
        (Selection.Mispredicted)
            of("2026-11-24", "2026-11-25", List.of(), List.of(), List.of(), "audit");
    assertThat(m.auditTopic()).isEqualTo("audit");
    assertThat(m.window().from()).contains(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(
            ((Selection.Mispredicted) of(null, null, List.of(), List.of(), List.of(), "audit"))
                .window())
        .isEqualTo(Selection.TimeRange.all());
  }
}
