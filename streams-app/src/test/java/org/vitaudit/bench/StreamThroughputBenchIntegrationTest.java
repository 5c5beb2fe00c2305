package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.TestBroker;

/**
 * bench --stream on a real broker, small: every event of every run comes out of the stream (the run
 * fails otherwise) and goes through the engine alone, and each round's ratio holds the stream
 * against the engine of that round, after unmeasured rounds that warm the code up.
 */
@KafkaBroker
class StreamThroughputBenchIntegrationTest {
  @Test
  void theStreamIsHeldAgainstTheEngineAloneOnTheSameEvents(TestBroker broker) throws Exception {
    List<String> warmUp = new ArrayList<>();
    StreamComparison c =
        StreamThroughputBench.sideBySide(
            Map.of(), Optional.of(broker.bootstrapServers()), 24, 4, 1, 2, warmUp::add);
    // At most two unmeasured rounds, each reported with the compilers' share of it.
    assertThat(c.warmUpRounds()).isBetween(1, 2);
    assertThat(warmUp).hasSize(c.warmUpRounds()).allMatch(l -> l.contains("JIT compilers worked"));
    for (StreamComparison.Side side : List.of(c.single(), c.batched())) {
      assertThat(side.rounds()).hasSize(1);
      StreamComparison.Round r = side.rounds().get(0);
      // 24 scenes: 23 gaps between the first and the last record, in each run.
      assertThat(r.stream().events()).isEqualTo(23);
      assertThat(r.engineBefore().events()).isEqualTo(23);
      assertThat(r.engineAfter().events()).isEqualTo(23);
      assertThat(r.stream().batchSize()).isEqualTo(side.batchSize());
      assertThat(r.engineBefore().batchSize()).isEqualTo(side.batchSize());
      assertThat(r.ratio())
          .isCloseTo(
              r.stream().eventsPerSecond()
                  / ((r.engineBefore().eventsPerSecond() + r.engineAfter().eventsPerSecond()) / 2),
              within(1e-9));
    }
    assertThat(c.single().batchSize()).isEqualTo(1);
    assertThat(c.batched().batchSize()).isEqualTo(4);
    JsonNode o = c.json();
    for (String field :
        List.of(
            "events_per_s_unbatched",
            "events_per_s_batched",
            "engine_events_per_s_unbatched",
            "engine_events_per_s_batched",
            "ratio_unbatched",
            "ratio_batched")) {
      assertThat(o.get(field).asDouble()).as(field).isPositive();
    }
  }
}
